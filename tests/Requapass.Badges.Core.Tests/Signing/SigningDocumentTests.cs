using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Tests.Signing;

public sealed class SigningDocumentTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(3)]
    public void RevocationList_RevokedAssertionsIsAlwaysAnArray(int count)
    {
        var list = new RevocationList
        {
            Id = "https://badges.example.org/public/issuers/i1/revocations",
            Issuer = "https://badges.example.org/public/issuers/i1",
            RevokedAssertions = [.. Enumerable.Range(0, count).Select(i => new RevokedEntry($"urn:uuid:00000000-0000-4000-8000-00000000000{i}", i == 0 ? null : "Issued in error."))],
        };
        var json = JsonNode.Parse(ObJson.ToJson(list))!;
        Assert.That(json["revokedAssertions"], Is.InstanceOf<JsonArray>());
        Assert.That(json["revokedAssertions"]!.AsArray(), Has.Count.EqualTo(count));
        Assert.That((json["@context"]!.GetValue<string>(), json["type"]!.GetValue<string>()), Is.EqualTo(("https://w3id.org/openbadges/v2", "RevocationList")));
        if (count > 0)
        {
            // OB 2.0 RevocationList example: an entry is an object with id and, optionally, revocationReason.
            Assert.That(json["revokedAssertions"]![0]!.AsObject().Select(p => p.Key), Is.EqualTo(new[] { "id" }));
        }
    }

    [Test]
    public void CryptographicKey_HasTheSpecShape_AndItsPemImports()
    {
        var key = SigningKey.Generate().Key;
        var json = JsonNode.Parse(ObJson.ToJson(new CryptographicKey
        {
            Id = "https://badges.example.org/public/keys/k1", Owner = "https://badges.example.org/public/issuers/i1", PublicKeyPem = key.PublicKeyPem,
        }))!.AsObject();
        Assert.That(json.Select(p => p.Key), Is.EqualTo(new[] { "@context", "type", "id", "owner", "publicKeyPem" }));
        Assert.That(json["type"]!.GetValue<string>(), Is.EqualTo("CryptographicKey"));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(json["publicKeyPem"]!.GetValue<string>());
        Assert.That(rsa.KeySize, Is.EqualTo(2048));
    }

    [Test]
    public void Jwks_HasKeysWithRsaMembers_AndNoPrivateOnes()
    {
        var key = SigningKey.Generate().Key;
        var json = JsonNode.Parse(ObJson.ToJson(new Jwks([key.ToJwk()])))!;
        var jwk = json["keys"]!.AsArray().Single()!.AsObject();
        Assert.That(jwk.Select(p => p.Key), Is.EquivalentTo(new[] { "kty", "use", "alg", "kid", "n", "e" }));
        Assert.That(jwk["e"]!.GetValue<string>(), Is.EqualTo("AQAB"));
        Assert.That(jwk["n"]!.GetValue<string>(), Does.Not.Contain("=").And.Length.EqualTo(342));
    }

    [Test]
    public void ExampleKey_PublishedPemMatches_AndItsTokensVerifyWithThePublicPemOnly()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        var keys = Path.Combine(dir!.FullName, "keys.example");
        using var key = SigningKey.FromPem(File.ReadAllText(Path.Combine(keys, "example-signing-key.pem"))).Key!;
        var publicPem = File.ReadAllText(Path.Combine(keys, "example-signing-key.pub.pem"));
        Assert.That(key.PublicKeyPem.Trim(), Is.EqualTo(publicPem.Trim()));
        Assert.That((key.Thumbprint, key.IsExampleKey), Is.EqualTo((SigningKey.ExampleKeyThumbprint, true)));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicPem);
        Assert.That(Jws.Verify(Jws.Sign("""{"type":"Assertion"}"""u8, key), rsa).Ok, Is.True);
    }
}
