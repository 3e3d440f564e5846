using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Core.Tests.Fetching;

namespace Requapass.Badges.Core.Tests.Verification;

/// <summary>
/// Another Open Badges 2.0 issuer, served from a local HTTP server on 127.0.0.1: its profile, badge
/// class, a hosted and a signed assertion, its key and revocation list. A test changes a document (or
/// a route) before verifying, to make one thing wrong. The documents are JsonObjects serialised on
/// each request, so a change made after start is what the verifier sees.
/// </summary>
internal sealed class ForeignIssuer : IAsyncDisposable
{
    public const string Email = "benevole@example.org";
    public const string Salt = "s3l-foreign";

    private static readonly Lazy<SigningKey> LazyKey = new(() => SigningKey.Generate().Key);
    private static readonly Lazy<SigningKey> LazyOtherKey = new(() => SigningKey.Generate().Key);
    private readonly ConcurrentDictionary<string, Func<byte[]>> _routes = new(StringComparer.Ordinal);

    public ForeignIssuer()
    {
        Server = new LocalServer(Respond, maxRequests: 200);
        Mirror = new LocalServer(Respond, maxRequests: 50);
        Issuer = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Issuer", ["id"] = IssuerUrl,
            ["name"] = "Association Exemple", ["url"] = "https://association.example.org", ["email"] = "contact@association.example.org",
            ["publicKey"] = KeyUrl, ["revocationList"] = RevocationsUrl,
        };
        BadgeClass = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "BadgeClass", ["id"] = BadgeUrl,
            ["name"] = "Accueil du public", ["description"] = "Accueillir et orienter le public.",
            ["image"] = Base + "/badge.png", ["criteria"] = new JsonObject { ["narrative"] = "Six mois d'accueil." }, ["issuer"] = IssuerUrl,
        };
        Hosted = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Assertion", ["id"] = AssertionUrl,
            ["recipient"] = Recipient(), ["badge"] = BadgeUrl, ["verification"] = new JsonObject { ["type"] = "HostedBadge" },
            ["issuedOn"] = "2026-03-01T10:00:00Z",
        };
        Signed = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Assertion", ["id"] = "urn:uuid:5f1b6a3e-6c55-4d1b-9a53-0d0c2e1f7a10",
            ["recipient"] = Recipient(), ["badge"] = BadgeUrl,
            ["verification"] = new JsonObject { ["type"] = "SignedBadge", ["creator"] = KeyUrl },
            ["issuedOn"] = "2026-03-01T10:00:00Z",
        };
        KeyDocument = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "CryptographicKey", ["id"] = KeyUrl,
            ["owner"] = IssuerUrl, ["publicKeyPem"] = Key.PublicKeyPem,
        };
        Revocations = new JsonObject
        {
            ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "RevocationList", ["id"] = RevocationsUrl, ["issuer"] = IssuerUrl,
            ["revokedAssertions"] = new JsonArray("urn:uuid:00000000-0000-4000-8000-000000000001"),
        };
        ServeJson("/issuer", () => Issuer);
        ServeJson("/badge", () => BadgeClass);
        ServeJson("/assertions/1", () => Hosted);
        ServeJson("/key", () => KeyDocument);
        ServeJson("/revocations", () => Revocations);
    }

    /// <summary>The issuer's signing key (RSA 2048, generated once per test run).</summary>
    public static SigningKey Key => LazyKey.Value;

    /// <summary>A key that is not the issuer's.</summary>
    public static SigningKey OtherKey => LazyOtherKey.Value;

    public LocalServer Server { get; }

    /// <summary>A second server with the same routes: another origin (port) on the same machine.</summary>
    public LocalServer Mirror { get; }
    public string Base => Server.Base;
    public string IssuerUrl => Base + "/issuer";
    public string BadgeUrl => Base + "/badge";
    public string AssertionUrl => Base + "/assertions/1";
    public string KeyUrl => Base + "/key";
    public string RevocationsUrl => Base + "/revocations";

    public JsonObject Issuer { get; }
    public JsonObject BadgeClass { get; }
    public JsonObject Hosted { get; }
    public JsonObject Signed { get; }
    public JsonObject KeyDocument { get; }
    public JsonObject Revocations { get; }

    /// <summary>A salted sha256$ recipient for <see cref="Email"/>, as most issuers write it.</summary>
    public static JsonObject Recipient() => new()
    {
        ["type"] = "email", ["hashed"] = true, ["salt"] = Salt,
        ["identity"] = "sha256$" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Email + Salt))),
    };

    public void ServeJson(string path, Func<JsonObject> document, int status = 200) =>
        _routes[path] = () => LocalServer.Response(status, document().ToJsonString());

    public void Serve(string path, Func<byte[]> response) => _routes[path] = response;

    /// <summary>Signs <paramref name="payload"/> (default: <see cref="Signed"/>) as a compact JWS.</summary>
    public string Jws(JsonObject? payload = null, SigningKey? key = null) =>
        Core.Signing.Jws.Sign(Encoding.UTF8.GetBytes((payload ?? Signed).ToJsonString()), key ?? Key);

    /// <summary>A JWS with any header, signed (or not) by hand: for algorithm attacks.</summary>
    public static string JwsWithHeader(string headerJson, JsonObject payload, Func<byte[], byte[]> sign)
    {
        var input = Base64Url.Encode(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.Encode(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        return input + "." + Base64Url.Encode(sign(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>A small PNG with <paramref name="payload"/> baked in (OB 2.0 Baking: iTXt openbadges).</summary>
    public static byte[] Png(string payload)
    {
        var rgba = new byte[16 * 16 * 4];
        Array.Fill(rgba, (byte)0x80);
        return PngBaker.Bake(PngEncoder.Encode(16, 16, rgba), payload);
    }

    /// <summary>A small SVG with a hosted assertion baked in.</summary>
    public static byte[] SvgHosted(string url, string json) => SvgBaker.BakeHosted(BaseSvg, url, json);

    /// <summary>A small SVG with a JWS baked in.</summary>
    public static byte[] SvgSigned(string jws) => SvgBaker.BakeSigned(BaseSvg, jws);

    private static byte[] BaseSvg => Encoding.UTF8.GetBytes(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\" fill=\"#246\"/></svg>");

    private Task<byte[]> Respond(string path) => Task.FromResult(_routes.TryGetValue(path, out var route)
        ? route() : LocalServer.Response(404, "{\"error\":\"not found\"}", "application/json"));

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        await Mirror.DisposeAsync();
    }
}
