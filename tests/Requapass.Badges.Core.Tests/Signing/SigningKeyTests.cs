using System.Security.Cryptography;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Tests.Signing;

public sealed class SigningKeyTests
{
    [Test]
    public void Thumbprint_MatchesRfc7638Example()
    {
        // RFC 7638, section 3.1: the example RSA key and its SHA-256 thumbprint.
        var parameters = new RSAParameters
        {
            Modulus = Base64Url.Decode("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"),
            Exponent = Base64Url.Decode("AQAB"),
        };
        Assert.That(SigningKey.ThumbprintOf(parameters), Is.EqualTo("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
    }

    [TestCase("AQAB", new byte[] { 1, 0, 1 })]
    [TestCase("AQ", new byte[] { 1 })]
    [TestCase("AQA", new byte[] { 1, 0 })]
    [TestCase("", new byte[0])]
    public void Base64UrlDecode_OfCanonicalText_GivesItsBytes(string text, byte[] bytes) =>
        Assert.That(Base64Url.Decode(text), Is.EqualTo(bytes));

    [TestCase("AR", Description = "unused bits set: same byte as AQ")]
    [TestCase("AQB", Description = "unused bits set: same bytes as AQA")]
    [TestCase("AQ==", Description = "padding")]
    [TestCase("AQ AB", Description = "white space")]
    [TestCase("AQAB    ", Description = "trailing white space Convert would skip")]
    [TestCase("A+/B", Description = "base64, not base64url")]
    [TestCase("AQABA", Description = "length 1 mod 4")]
    public void Base64UrlDecode_OfNonCanonicalOrForeignText_IsNull(string text) =>
        Assert.That(Base64Url.Decode(text), Is.Null);

    [Test]
    public void FromPem_LoadsPkcs8AndPkcs1_AndRefusesSmallPublicOrGarbageKeys()
    {
        using var rsa = RSA.Create(2048);
        Assert.That(SigningKey.FromPem(rsa.ExportPkcs8PrivateKeyPem()).Key, Is.Not.Null);
        Assert.That(SigningKey.FromPem(rsa.ExportRSAPrivateKeyPem()).Key, Is.Not.Null);
        using var small = RSA.Create(1024);
        Assert.That(SigningKey.FromPem(small.ExportPkcs8PrivateKeyPem()).Error, Does.Contain("2048"));
        Assert.That(SigningKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()).Key, Is.Null);
        Assert.That(SigningKey.FromPem("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----").Key, Is.Null);
        using var ec = ECDsa.Create();
        Assert.That(SigningKey.FromPem(ec.ExportPkcs8PrivateKeyPem()).Key, Is.Null);
    }

    [Test]
    public void Jwk_RoundTripsToThePublishedPublicKey()
    {
        var key = SigningKey.Generate().Key;
        var jwk = key.ToJwk();
        using var fromJwk = RSA.Create();
        fromJwk.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode(jwk.N), Exponent = Base64Url.Decode(jwk.E) });
        Assert.That(fromJwk.ExportSubjectPublicKeyInfoPem(), Is.EqualTo(key.PublicKeyPem));
        Assert.That((jwk.Kty, jwk.Alg, jwk.Use, jwk.Kid), Is.EqualTo(("RSA", "RS256", "sig", key.Thumbprint)));
    }

    [Test]
    public void ExampleKey_IsRecognised()
    {
        var pem = File.ReadAllText(Path.Combine(RepositoryRoot(), "keys.example", "example-signing-key.pem"));
        var key = SigningKey.FromPem(pem).Key!;
        TestContext.Out.WriteLine($"example key thumbprint: {key.Thumbprint}");
        Assert.That(key.IsExampleKey, Is.True);
        Assert.That(SigningKey.Generate().Key.IsExampleKey, Is.False);
    }

    [Test]
    public void ToString_NeverShowsKeyMaterial()
    {
        var (key, pem) = SigningKey.Generate();
        var body = pem.Split('\n')[1];
        Assert.That(key.ToString(), Does.Not.Contain(body).And.Contain(key.Thumbprint));
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Requapass.Badges.sln"))) { dir = dir.Parent; }
        return dir!.FullName;
    }
}
