using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Tests.OpenBadges;

/// <summary>OB 3.0 "JSON Web Token Proof Format": sign, verify, tamper, fail.</summary>
public sealed class VcJwtTests
{
    private static readonly SigningKey Key = SigningKey.Generate().Key;
    private const string Kid = "https://badges.example.test/public/keys/k1/jwk";
    private static readonly DateTimeOffset IssuedOn = new(2026, 3, 1, 9, 30, 0, TimeSpan.Zero);

    private static OpenBadgeCredential Credential(DateTimeOffset? until = null) => new()
    {
        Id = "https://badges.example.test/public/assertions/a1/ob3",
        Issuer = new Profile { Id = "https://badges.example.test/public/issuers/i1/ob3", Name = "Centre social" },
        ValidFrom = IssuedOn,
        ValidUntil = until,
        CredentialSubject = new AchievementSubject
        {
            Id = "urn:uuid:3f1c2b1e-0000-8000-8000-000000000001",
            Identifier = [new IdentityObject("sha256$00", "emailAddress", "salt")],
            Achievement = new Achievement { Id = "https://badges.example.test/public/badges/b1/ob3", Name = "Accueil", Description = "Accueille", Criteria = new Criteria(null, "- Accueille") },
        },
    };

    private static RSA Public()
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(Key.PublicKeyPem);
        return rsa;
    }

    [Test]
    public void Sign_MapsTheClaims_AndVerifies()
    {
        var token = VcJwt.Sign(Credential(IssuedOn.AddYears(1)), Key, Kid);
        var header = JsonNode.Parse(Base64Url.Decode(token.Split('.')[0]))!;
        Assert.That(header.ToJsonString(), Is.EqualTo($$"""{"alg":"RS256","kid":"{{Kid}}","typ":"JWT"}"""));
        var payload = JsonNode.Parse(Base64Url.Decode(token.Split('.')[1]))!;
        Assert.That(payload["iss"]!.GetValue<string>(), Is.EqualTo("https://badges.example.test/public/issuers/i1/ob3"));
        Assert.That(payload["sub"]!.GetValue<string>(), Is.EqualTo("urn:uuid:3f1c2b1e-0000-8000-8000-000000000001"));
        Assert.That(payload["jti"]!.GetValue<string>(), Is.EqualTo("https://badges.example.test/public/assertions/a1/ob3"));
        Assert.That(payload["nbf"]!.GetValue<long>(), Is.EqualTo(IssuedOn.ToUnixTimeSeconds()));
        Assert.That(payload["exp"]!.GetValue<long>(), Is.EqualTo(IssuedOn.AddYears(1).ToUnixTimeSeconds()));
        using var rsa = Public();
        var result = VcJwt.Verify(token, rsa, IssuedOn.AddDays(1));
        Assert.That(result.Code, Is.EqualTo("ok"), result.Message);
        Assert.That(JsonNode.Parse(result.CredentialJson!)!["id"]!.GetValue<string>(), Is.EqualTo(payload["jti"]!.GetValue<string>()));
        Assert.That(VcJwt.KeyId(Jws.Parse(token)), Is.EqualTo(Kid));
    }

    [Test]
    public void Sign_IsDeterministic_SoTheSigningInputFixesTheToken()
    {
        var credential = Credential();
        Assert.That(VcJwt.Sign(credential, Key, Kid), Is.EqualTo(VcJwt.Sign(credential, Key, Kid)));
        Assert.That(VcJwt.Sign(credential, Key, Kid), Does.StartWith(VcJwt.SigningInput(credential, Kid) + "."));
    }

    [Test]
    public void NoExpiry_HasNoExpClaim()
    {
        var payload = JsonNode.Parse(VcJwt.Payload(Credential()))!;
        Assert.That(payload["exp"], Is.Null);
        Assert.That(payload["validUntil"], Is.Null);
    }

    [Test]
    public void Verify_CatchesTamperingAndClaimsThatDisagree()
    {
        using var rsa = Public();
        var token = VcJwt.Sign(Credential(), Key, Kid);
        var parts = token.Split('.');
        var changed = JsonNode.Parse(Base64Url.Decode(parts[1]))!;
        changed["credentialSubject"]!["identifier"]![0]!["identityHash"] = "sha256$ff";
        Assert.That(VcJwt.Verify($"{parts[0]}.{Base64Url.Encode(Encoding.UTF8.GetBytes(changed.ToJsonString()))}.{parts[2]}", rsa, IssuedOn).Code,
            Is.EqualTo("jws.bad_signature"));
        Assert.That(VcJwt.Verify(VcJwt.Sign(Credential(), SigningKey.Generate().Key, Kid), rsa, IssuedOn).Code, Is.EqualTo("jws.bad_signature"));

        // Well signed, but a claim is not what the credential says ("Verify a Credential VC-JWT Signature").
        foreach (var (claim, value, code) in new (string, JsonNode, string)[]
        {
            ("iss", "https://elsewhere.example/issuer", "vcjwt.iss_mismatch"),
            ("sub", "urn:uuid:00000000-0000-8000-8000-000000000000", "vcjwt.sub_mismatch"),
            ("jti", "urn:uuid:00000000-0000-8000-8000-000000000000", "vcjwt.jti_mismatch"),
            ("nbf", IssuedOn.ToUnixTimeSeconds() - 1, "vcjwt.nbf_mismatch"),
            ("exp", IssuedOn.ToUnixTimeSeconds() + 60, "vcjwt.exp_mismatch"),
        })
        {
            var payload = JsonNode.Parse(VcJwt.Payload(Credential()))!;
            payload[claim] = value;
            var signed = Jws.SignWithHeader(VcJwt.Header(Kid), Encoding.UTF8.GetBytes(payload.ToJsonString()), Key);
            Assert.That(VcJwt.Verify(signed, rsa, IssuedOn.AddDays(1)).Code, Is.EqualTo(code), claim);
        }
    }

    [Test]
    public void Verify_ReportsTheValidityWindow()
    {
        using var rsa = Public();
        var token = VcJwt.Sign(Credential(IssuedOn.AddDays(30)), Key, Kid);
        Assert.That(VcJwt.Verify(token, rsa, IssuedOn.AddSeconds(-1)).Code, Is.EqualTo("vcjwt.not_yet_valid"));
        Assert.That(VcJwt.Verify(token, rsa, IssuedOn.AddDays(30)).Code, Is.EqualTo("vcjwt.expired"));
        Assert.That(VcJwt.Verify(token, rsa, IssuedOn.AddDays(29)).Ok, Is.True);
    }

    [Test]
    public void OpenBadges20Signing_KeepsItsHeader()
    {
        var jws = Jws.Sign("""{"a":1}"""u8, Key);
        Assert.That(jws.Split('.')[0], Is.EqualTo(Base64Url.Encode("""{"alg":"RS256"}"""u8)));
    }

    [Test]
    public void TheShippedContext_IsThe303Context_AndDefinesTheTermsWeUse()
    {
        var context = JsonNode.Parse(Ob3Context.OpenBadgesContextJson)!["@context"]!.AsObject();
        foreach (var term in new[] { "OpenBadgeCredential", "Achievement", "AchievementSubject", "IdentityObject", "Profile", "Evidence", "Image", "Alignment", "Related", "IdentifierEntry", "Criteria" })
        {
            Assert.That(context.ContainsKey(term), Is.True, term);
        }
    }
}
