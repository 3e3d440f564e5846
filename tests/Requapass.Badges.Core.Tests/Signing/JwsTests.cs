using System.Security.Cryptography;
using System.Text;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Tests.Signing;

public sealed class JwsTests
{
    private static readonly SigningKey Key = SigningKey.Generate().Key;
    private static readonly SigningKey OtherKey = SigningKey.Generate().Key;
    private const string Payload = """{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"urn:uuid:6f0e3cd1-3a77-4a8e-9b35-1f0ad1e4c2aa"}""";

    private static RSA Public(SigningKey key)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(key.PublicKeyPem);
        return rsa;
    }

    [Test]
    public void Sign_ThenVerifyWithThePublishedPem_Passes_AndReturnsThePayload()
    {
        var jws = Jws.Sign(Encoding.UTF8.GetBytes(Payload), Key);
        Assert.That(jws.Split('.')[0], Is.EqualTo(Base64Url.Encode("""{"alg":"RS256"}"""u8)));
        var result = Jws.Verify(jws, Public(Key));
        Assert.That(result.Ok, Is.True, result.Message);
        Assert.That(result.PayloadJson, Is.EqualTo(Payload));
        Assert.That(result.Algorithm, Is.EqualTo("RS256"));
    }

    [Test]
    public void Sign_OfAnAssertion_HasExactlyTheObJsonBytesAsPayload_AndVerifies()
    {
        var assertion = new Assertion
        {
            Id = "urn:uuid:6f0e3cd1-3a77-4a8e-9b35-1f0ad1e4c2aa",
            Recipient = new IdentityObject("email", true, "salt", "sha256$00"),
            Badge = "https://badges.example.org/public/badges/def",
            Verification = new VerificationObject { Type = "SignedBadge", Creator = "https://badges.example.org/public/keys/k1" },
            IssuedOn = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero),
            Narrative = "Règle « été » – niveau 1",
        };
        var jws = Jws.Sign(assertion, Key);
        Assert.That(Base64Url.Decode(jws.Split('.')[1]), Is.EqualTo(ObJson.ToUtf8(assertion)));
        Assert.That(Jws.Verify(jws, Public(Key)).Ok, Is.True);
    }

    public static IEnumerable<TestCaseData> Forgeries()
    {
        var good = Jws.Sign(Encoding.UTF8.GetBytes(Payload), Key);
        var parts = good.Split('.');
        var tamperedPayload = Base64Url.Encode(Encoding.UTF8.GetBytes(Payload.Replace("Assertion", "Assertiom", StringComparison.Ordinal)));
        yield return new TestCaseData($"{parts[0]}.{tamperedPayload}.{parts[2]}", "jws.bad_signature").SetName("TamperedPayload");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"RS512"}"""u8)}.{parts[1]}.{parts[2]}", "jws.bad_signature").SetName("TamperedHeaderAlg");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"RS256","kid":"x"}"""u8)}.{parts[1]}.{parts[2]}", "jws.bad_signature").SetName("TamperedHeaderField");
        yield return new TestCaseData(Jws.Sign(Encoding.UTF8.GetBytes(Payload), OtherKey), "jws.bad_signature").SetName("SignedByAnotherKey");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"none"}"""u8)}.{parts[1]}.", "jws.alg_not_allowed").SetName("AlgNone");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"HS256"}"""u8)}.{parts[1]}.{parts[2]}", "jws.alg_not_allowed").SetName("AlgHs256");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"ES256"}"""u8)}.{parts[1]}.{parts[2]}", "jws.alg_not_allowed").SetName("AlgEs256");
        yield return new TestCaseData($"{parts[0]}.{parts[1]}", "jws.malformed").SetName("TwoParts");
        yield return new TestCaseData($"{good}.extra", "jws.malformed").SetName("FourParts");
        yield return new TestCaseData(good[..(good.IndexOf('.', StringComparison.Ordinal) + 12)], "jws.malformed").SetName("TruncatedInPayload");
        // 342 signature characters less 42 leaves whole 4-character groups: well-formed, 225 bytes, wrong.
        yield return new TestCaseData(good[..^42], "jws.bad_signature").SetName("TruncatedSignature");
        yield return new TestCaseData(good + "AAA", "jws.malformed").SetName("SignatureLengthOneMod4");
        yield return new TestCaseData("@@@.###.$$$", "jws.malformed").SetName("NotBase64Url");
        yield return new TestCaseData($"{parts[0]}.{Base64Url.Encode("[1,2]"u8)}.{parts[2]}", "jws.payload_not_json").SetName("PayloadNotObject");
        yield return new TestCaseData("", "jws.malformed").SetName("Empty");
        yield return new TestCaseData(new string('a', Jws.MaxLength + 1), "jws.too_large").SetName("TooLarge");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"PS256"}"""u8)}.{parts[1]}.{parts[2]}", "jws.alg_not_allowed").SetName("AlgPs256");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"RS256","alg":"none"}"""u8)}.{parts[1]}.{parts[2]}", "jws.alg_not_allowed").SetName("DuplicateAlgLastIsNone");
        yield return new TestCaseData($"{Base64Url.Encode("""{"typ":"JWT"}"""u8)}.{parts[1]}.{parts[2]}", "jws.malformed").SetName("HeaderWithoutAlg");
        yield return new TestCaseData($"{Base64Url.Encode("""["RS256"]"""u8)}.{parts[1]}.{parts[2]}", "jws.malformed").SetName("HeaderNotObject");
        yield return new TestCaseData($"{Base64Url.Encode("""{"alg":"RS256","crit":["exp"],"exp":1}"""u8)}.{parts[1]}.{parts[2]}", "jws.crit_not_supported").SetName("CritExtension");
        yield return new TestCaseData($"{parts[0]}.{Base64Url.Encode([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d])}.{parts[2]}", "jws.payload_not_json").SetName("PayloadNotUtf8");
        yield return new TestCaseData($"{parts[0]}.{Base64Url.Encode(Encoding.ASCII.GetBytes(new string('[', 10_000)))}.{parts[2]}", "jws.payload_not_json").SetName("PayloadNestedTooDeep");
    }

    [TestCaseSource(nameof(Forgeries))]
    public void Verify_OfForgedOrBrokenToken_FailsWithItsCode(string token, string code)
    {
        JwsResult? result = null;
        Assert.DoesNotThrow(() => result = Jws.Verify(token, Public(Key)));
        Assert.That(result!.Ok, Is.False);
        Assert.That(result.Code, Is.EqualTo(code), result.Message);
    }

    [Test]
    public void Parse_ReturnsTheHeaderAndPayloadJson()
    {
        var parsed = Jws.Parse(Jws.Sign(Encoding.UTF8.GetBytes(Payload), Key));
        Assert.That((parsed.Ok, parsed.HeaderJson, parsed.PayloadJson, parsed.Algorithm), Is.EqualTo((true, """{"alg":"RS256"}""", Payload, "RS256")));
    }

    [Test]
    public void Verify_OfRandomlyMutatedTokens_NeverThrows_AndNeverPasses()
    {
        var good = Jws.Sign(Encoding.UTF8.GetBytes(Payload), Key);
        var random = new Random(7515);
        const string alphabet = "ABCxyz019-_.=+/ \n{}\"é";
        using var rsa = Public(Key);
        for (var i = 0; i < 2000; i++)
        {
            var chars = good.ToCharArray();
            for (var m = random.Next(1, 4); m > 0; m--) { chars[random.Next(chars.Length)] = alphabet[random.Next(alphabet.Length)]; }
            var token = new string(chars, 0, random.Next(2) == 0 ? chars.Length : random.Next(chars.Length));
            if (token == good) { continue; }
            JwsResult? result = null;
            Assert.DoesNotThrow(() => result = Jws.Verify(token, rsa), token);
            Assert.That(result!.Ok, Is.False, token);
        }
    }

    [TestCase("RS384")]
    [TestCase("RS512")]
    public void Verify_AcceptsRs384AndRs512TokensMadeElsewhere(string alg)
    {
        using var rsa = RSA.Create(2048);
        var signingInput = Base64Url.Encode(Encoding.UTF8.GetBytes($$"""{"alg":"{{alg}}"}""")) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(Payload));
        var hash = alg == "RS384" ? HashAlgorithmName.SHA384 : HashAlgorithmName.SHA512;
        var token = signingInput + "." + Base64Url.Encode(rsa.SignData(Encoding.ASCII.GetBytes(signingInput), hash, RSASignaturePadding.Pkcs1));
        Assert.That(Jws.Verify(token, rsa).Ok, Is.True);
    }

    [Test]
    public void Sign_FromManyThreadsWithOneKey_GivesSignaturesThatAllVerify()
    {
        var tokens = new string[64];
        Parallel.For(0, tokens.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => tokens[i] = Jws.Sign(Encoding.UTF8.GetBytes(Payload.Replace("6f0e", $"{i:x4}", StringComparison.Ordinal)), Key));
        using var rsa = Public(Key);
        Assert.That(tokens.Select(t => Jws.Verify(t, rsa).Ok), Has.All.True);
    }
}
