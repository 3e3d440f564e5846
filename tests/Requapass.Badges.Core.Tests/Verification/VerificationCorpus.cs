using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Requapass.Badges.Core.Tests.Verification;

/// <summary>What is handed to the verifier: a URL, an assertion object, a JWS, or a baked image.</summary>
internal sealed record CorpusInput(string Kind, string? Text = null, JsonObject? Assertion = null, byte[]? Image = null, string? Recipient = null)
{
    public static CorpusInput Url(string url, string? recipient = null) => new("url", url, Recipient: recipient);
    public static CorpusInput Json(JsonObject assertion, string? recipient = null) => new("assertion", Assertion: assertion, Recipient: recipient);
    public static CorpusInput Jws(string jws, string? recipient = null) => new("jws", jws, Recipient: recipient);
    public static CorpusInput Png(byte[] png, string? recipient = null) => new("png", Image: png, Recipient: recipient);
    public static CorpusInput Svg(byte[] svg, string? recipient = null) => new("svg", Image: svg, Recipient: recipient);
}

/// <summary>The verdict a case expects; <see cref="Failed"/> names a check that must fail (prefix).</summary>
internal sealed record CorpusExpectation(bool Valid, string? Failed = null, bool Revoked = false, bool Expired = false, bool? RecipientMatches = null);

/// <summary>One badge of the corpus: how to make it from a foreign issuer, and the verdict.</summary>
internal sealed record CorpusCase(string Name, Func<ForeignIssuer, CorpusInput> Arrange, CorpusExpectation Expect)
{
    public override string ToString() => Name;
}

/// <summary>
/// The verification corpus (issue #5): valid and invalid badges from another issuer, served from a
/// local server, covering each check both ways, hosted and signed, as JSON, URL, JWS, PNG and SVG.
/// It runs against the verifier in Core and through POST /public/verify on both databases.
/// </summary>
internal static class VerificationCorpus
{
    private static readonly CorpusExpectation Valid = new(true);

    private static CorpusExpectation Fails(string check, bool revoked = false, bool expired = false, bool? recipient = null) =>
        new(false, check, revoked, expired, recipient);

    public static IEnumerable<CorpusCase> Cases()
    {
        // ---- Hosted badges: every input form, and the hosted checks both ways.
        yield return new("hosted, by URL", f => CorpusInput.Url(f.AssertionUrl), Valid);
        yield return new("hosted, as JSON (only its id is trusted)", f => CorpusInput.Json(f.Hosted.DeepClone().AsObject()), Valid);
        yield return new("hosted, baked PNG with the JSON", f => CorpusInput.Png(ForeignIssuer.Png(f.Hosted.ToJsonString())), Valid);
        yield return new("hosted, baked PNG with the URL only", f => CorpusInput.Png(ForeignIssuer.Png(f.AssertionUrl)), Valid);
        yield return new("hosted, baked SVG", f => CorpusInput.Svg(ForeignIssuer.SvgHosted(f.AssertionUrl, f.Hosted.ToJsonString())), Valid);
        yield return new("hosted, answers 410 Gone", f =>
        {
            f.ServeJson("/assertions/1", () => new JsonObject { ["@context"] = "https://w3id.org/openbadges/v2", ["id"] = f.AssertionUrl, ["revoked"] = true, ["revocationReason"] = "Erreur" }, 410);
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("revocation", revoked: true));
        yield return new("hosted, answers 410 Gone with no body, from a baked PNG", f =>
        {
            f.Serve("/assertions/1", () => Fetching.LocalServer.Response(410, ""));
            return CorpusInput.Png(ForeignIssuer.Png(f.Hosted.ToJsonString()));
        }, Fails("revocation", revoked: true));
        yield return new("hosted, says revoked: true", f => { f.Hosted["revoked"] = true; return CorpusInput.Url(f.AssertionUrl); }, Fails("revocation", revoked: true));
        yield return new("hosted, the hosted copy declares another id", f =>
        {
            f.Hosted["id"] = f.Base + "/assertions/2";
            return CorpusInput.Json(new JsonObject { ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Assertion", ["id"] = f.AssertionUrl, ["verification"] = new JsonObject { ["type"] = "HostedBadge" } });
        }, Fails("hosted.id"));
        yield return new("hosted, the assertion id answers 404", f => CorpusInput.Url(f.Base + "/assertions/404"), Fails("hosted.fetch"));
        yield return new("hosted, the assertion is not JSON", f =>
        {
            f.Serve("/assertions/1", () => Fetching.LocalServer.Response(200, "<html>hello</html>", "text/html"));
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("hosted.fetch"));
        yield return new("hosted, the issuer's startsWith excludes the assertion", f =>
        {
            f.Issuer["verification"] = new JsonObject { ["type"] = "VerificationObject", ["startsWith"] = f.Base + "/other/" };
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("hosted.scope"));
        yield return new("hosted, the issuer's startsWith includes the assertion", f =>
        {
            f.Issuer["verification"] = new JsonObject { ["type"] = "VerificationObject", ["startsWith"] = new JsonArray("https://elsewhere.example/", f.Base + "/assertions/") };
            return CorpusInput.Url(f.AssertionUrl);
        }, Valid);
        yield return new("hosted, the issuer's allowedOrigins exclude the assertion", f =>
        {
            f.Issuer["verification"] = new JsonObject { ["type"] = "VerificationObject", ["allowedOrigins"] = "badges.example.org" };
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("hosted.scope"));
        yield return new("hosted, on another origin than the issuer", f =>
        {
            f.Hosted["id"] = f.Mirror.Base + "/assertions/1";
            return CorpusInput.Url(f.Mirror.Base + "/assertions/1");
        }, Fails("hosted.scope"));
        yield return new("hosted, on another origin the issuer's allowedOrigins list", f =>
        {
            f.Hosted["id"] = f.Mirror.Base + "/assertions/1";
            f.Issuer["verification"] = new JsonObject { ["type"] = "VerificationObject", ["allowedOrigins"] = new JsonArray("badges.example.org", $"127.0.0.1:{f.Mirror.Port}") };
            return CorpusInput.Url(f.Mirror.Base + "/assertions/1");
        }, Valid);
        yield return new("hosted, a tampered JSON copy is not trusted: the hosted recipient is checked", f =>
        {
            var tampered = f.Hosted.DeepClone().AsObject();
            tampered["recipient"] = new JsonObject { ["type"] = "email", ["hashed"] = false, ["identity"] = "impostor@example.org" };
            return CorpusInput.Json(tampered, recipient: "impostor@example.org");
        }, Fails("recipient.match", recipient: false));

        // ---- Shape, at every level.
        yield return new("shape: the linked badge class has type Issuer", f => { f.BadgeClass["type"] = "Issuer"; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.badgeclass.type"));
        yield return new("shape: an embedded badge class has type Profile", f =>
        {
            var badge = f.BadgeClass.DeepClone().AsObject();
            badge.Remove("id");
            badge["type"] = "Profile";
            f.Hosted["badge"] = badge;
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("shape.badgeclass.type"));
        yield return new("shape: embedded evidence has type Criteria", f =>
        {
            f.Hosted["evidence"] = new JsonObject { ["type"] = "Criteria", ["narrative"] = "Rapport" };
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("shape.evidence.type"));
        yield return new("shape: the recipient's type is missing", f => { f.Hosted["recipient"]!.AsObject().Remove("type"); return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.recipient.type"));
        yield return new("shape: verification has type Assertion", f => { f.Hosted["verification"] = new JsonObject { ["type"] = "Assertion" }; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.verification.type"));
        yield return new("shape: a hash with an upper-case prefix", f =>
        {
            f.Hosted["recipient"]!["identity"] = "SHA256$" + f.Hosted["recipient"]!["identity"]!.GetValue<string>()["sha256$".Length..];
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("shape.recipient.identity"));
        yield return new("shape: a hash while hashed is false", f => { f.Hosted["recipient"]!["hashed"] = false; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.recipient.identity"));
        yield return new("shape: an md5$ hash is accepted and matches", f =>
        {
            f.Hosted["recipient"]!["identity"] = "md5$" + Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(ForeignIssuer.Email + ForeignIssuer.Salt)));
            return CorpusInput.Url(f.AssertionUrl, recipient: ForeignIssuer.Email);
        }, new CorpusExpectation(true, RecipientMatches: true));
        yield return new("shape: issuedOn without a time zone", f => { f.Hosted["issuedOn"] = "2026-03-01T10:00:00"; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.assertion.issuedOn"));
        yield return new("shape: the assertion id is not an IRI", f =>
            CorpusInput.Json(new JsonObject { ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "Assertion", ["id"] = "assertion-1", ["verification"] = new JsonObject { ["type"] = "HostedBadge" } }),
            Fails("shape.assertion.id"));
        yield return new("shape: an assertion image that is a data URI", f => { f.Hosted["image"] = "data:image/png;base64,iVBORw0KGgo="; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.assertion.image"));
        yield return new("shape: a badge class image that is a GIF data URI", f => { f.BadgeClass["image"] = "data:image/gif;base64,R0lGODlhAQABAAAAACw="; return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.badgeclass.image"));
        yield return new("shape: a badge class image that is a PNG data URI", f => { f.BadgeClass["image"] = "data:image/png;base64,iVBORw0KGgo="; return CorpusInput.Url(f.AssertionUrl); }, Valid);
        yield return new("shape: the badge class has no name", f => { f.BadgeClass.Remove("name"); return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.badgeclass.name"));
        yield return new("shape: the issuer has no email", f => { f.Issuer.Remove("email"); return CorpusInput.Url(f.AssertionUrl); }, Fails("shape.issuer.email"));
        yield return new("JSON-LD: compact IRIs and keywords read through the local context", f =>
        {
            var assertion = new JsonObject
            {
                ["@context"] = "https://w3id.org/openbadges/v2", ["@type"] = "obi:Assertion", ["@id"] = f.AssertionUrl,
                ["obi:recipient"] = ForeignIssuer.Recipient(), ["https://w3id.org/openbadges#badge"] = f.BadgeUrl,
                ["verify"] = new JsonObject { ["type"] = "hosted" }, ["obi:issueDate"] = "2026-03-01T10:00:00+01:00",
            };
            f.ServeJson("/assertions/1", () => assertion);
            return CorpusInput.Url(f.AssertionUrl, recipient: ForeignIssuer.Email);
        }, new CorpusExpectation(true, RecipientMatches: true));
        yield return new("JSON-LD: no @context", f => { f.Hosted.Remove("@context"); return CorpusInput.Url(f.AssertionUrl); }, Fails("jsonld.assertion"));

        // ---- Time.
        yield return new("time: issued in the future", f => { f.Hosted["issuedOn"] = "2099-01-01T00:00:00Z"; return CorpusInput.Url(f.AssertionUrl); }, Fails("time.issuedOn"));
        yield return new("time: expired", f => { f.Hosted["expires"] = "2026-04-01T00:00:00Z"; return CorpusInput.Url(f.AssertionUrl); }, Fails("time.expires", expired: true));
        yield return new("time: expires later", f => { f.Hosted["expires"] = "2099-04-01T00:00:00Z"; return CorpusInput.Url(f.AssertionUrl); }, Valid);

        // ---- Recipient.
        yield return new("recipient: matches (case and spaces normalised)", f => CorpusInput.Url(f.AssertionUrl, recipient: "  Benevole@Example.org "), new CorpusExpectation(true, RecipientMatches: true));
        yield return new("recipient: another person", f => CorpusInput.Url(f.AssertionUrl, recipient: "quelquun@example.org"), Fails("recipient.match", recipient: false));
        yield return new("recipient: an unhashed identity matches", f =>
        {
            f.Hosted["recipient"] = new JsonObject { ["type"] = "email", ["hashed"] = false, ["identity"] = ForeignIssuer.Email };
            return CorpusInput.Url(f.AssertionUrl, recipient: "BENEVOLE@example.org");
        }, new CorpusExpectation(true, RecipientMatches: true));

        // ---- Signed badges.
        yield return new("signed, as JWS", f => CorpusInput.Jws(f.Jws()), Valid);
        yield return new("signed, baked PNG", f => CorpusInput.Png(ForeignIssuer.Png(f.Jws()), recipient: ForeignIssuer.Email), new CorpusExpectation(true, RecipientMatches: true));
        yield return new("signed, baked SVG", f => CorpusInput.Svg(ForeignIssuer.SvgSigned(f.Jws())), Valid);
        yield return new("signed, alg none", f => CorpusInput.Jws(ForeignIssuer.JwsWithHeader("{\"alg\":\"none\"}", f.Signed, _ => [])), Fails("signed."));
        yield return new("signed, HS256 with the public key as secret", f =>
            CorpusInput.Jws(ForeignIssuer.JwsWithHeader("{\"alg\":\"HS256\"}", f.Signed, input => HMACSHA256.HashData(Encoding.ASCII.GetBytes(ForeignIssuer.Key.PublicKeyPem), input))),
            Fails("signed.alg"));
        yield return new("signed, payload changed after signing", f =>
        {
            var jws = f.Jws().Split('.');
            var changed = f.Signed.DeepClone().AsObject();
            changed["issuedOn"] = "2025-01-01T00:00:00Z";
            return CorpusInput.Jws(jws[0] + "." + Core.Signing.Base64Url.Encode(Encoding.UTF8.GetBytes(changed.ToJsonString())) + "." + jws[2]);
        }, Fails("signed.signature"));
        yield return new("signed, with a key the issuer does not list", f => CorpusInput.Jws(f.Jws(key: ForeignIssuer.OtherKey)), Fails("signed.signature"));
        yield return new("signed, creator is a key the issuer does not list", f =>
        {
            f.Serve("/rogue-key", () => Fetching.LocalServer.Response(200, new JsonObject
            {
                ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "CryptographicKey", ["id"] = f.Base + "/rogue-key",
                ["owner"] = f.IssuerUrl, ["publicKeyPem"] = ForeignIssuer.OtherKey.PublicKeyPem,
            }.ToJsonString()));
            f.Signed["verification"]!["creator"] = f.Base + "/rogue-key";
            return CorpusInput.Jws(f.Jws(key: ForeignIssuer.OtherKey));
        }, Fails("signed.key"));
        yield return new("signed, the key belongs to someone else", f => { f.KeyDocument["owner"] = "https://someone-else.example/issuer"; return CorpusInput.Jws(f.Jws()); }, Fails("signed.key"));
        yield return new("signed, an embedded issuer cannot bring its own key", f =>
        {
            var forged = f.BadgeClass.DeepClone().AsObject();
            var issuer = f.Issuer.DeepClone().AsObject();
            issuer["publicKey"] = f.Base + "/rogue-key";
            forged["issuer"] = issuer;
            f.Serve("/rogue-key", () => Fetching.LocalServer.Response(200, new JsonObject
            {
                ["@context"] = "https://w3id.org/openbadges/v2", ["type"] = "CryptographicKey", ["id"] = f.Base + "/rogue-key",
                ["owner"] = f.IssuerUrl, ["publicKeyPem"] = ForeignIssuer.OtherKey.PublicKeyPem,
            }.ToJsonString()));
            f.Signed["badge"] = forged;
            f.Signed["verification"]!["creator"] = f.Base + "/rogue-key";
            return CorpusInput.Jws(f.Jws(key: ForeignIssuer.OtherKey));
        }, Fails("signed.key"));
        yield return new("signed, the revocation list names it as its single entry (object)", f =>
        {
            f.Revocations["revokedAssertions"] = new JsonObject { ["id"] = f.Signed["id"]!.GetValue<string>(), ["revocationReason"] = "Attribué par erreur" };
            return CorpusInput.Jws(f.Jws());
        }, Fails("revocation", revoked: true));
        yield return new("signed, the revocation list names it as its single entry (string)", f =>
        {
            f.Revocations["revokedAssertions"] = f.Signed["id"]!.GetValue<string>();
            return CorpusInput.Jws(f.Jws());
        }, Fails("revocation", revoked: true));
        yield return new("signed, the revocation list names it among three", f =>
        {
            f.Revocations["revokedAssertions"] = new JsonArray("urn:uuid:00000000-0000-4000-8000-000000000001",
                new JsonObject { ["id"] = f.Signed["id"]!.GetValue<string>() }, new JsonObject { ["uid"] = "legacy-7" });
            return CorpusInput.Png(ForeignIssuer.Png(f.Jws()));
        }, Fails("revocation", revoked: true));
        yield return new("signed, the revocation list is unreachable", f => { f.Issuer["revocationList"] = f.Base + "/missing-list"; return CorpusInput.Jws(f.Jws()); }, Fails("revocation"));
        yield return new("signed, no revocation list published", f => { f.Issuer.Remove("revocationList"); return CorpusInput.Jws(f.Jws()); }, Valid);
        yield return new("signed, given as JSON without its JWS", f => CorpusInput.Json(f.Signed.DeepClone().AsObject()), Fails("signed.jws"));
        yield return new("signed, expired", f => { f.Signed["expires"] = "2026-04-01T00:00:00Z"; return CorpusInput.Jws(f.Jws()); }, Fails("time.expires", expired: true));
        yield return new("signed, the payload declares HostedBadge", f => { f.Signed["verification"] = new JsonObject { ["type"] = "HostedBadge" }; return CorpusInput.Jws(f.Jws()); }, Fails("signed.verification"));

        // ---- Guarded fetching inside an otherwise readable badge.
        yield return new("fetch: the badge class link points at the metadata address", f => { f.Hosted["badge"] = "http://169.254.169.254/latest/meta-data/"; return CorpusInput.Url(f.AssertionUrl); }, Fails("badgeclass.fetch"));
        yield return new("fetch: a redirect to a private address", f =>
        {
            f.Serve("/badge", () => Fetching.LocalServer.Response(302, "", "text/plain", "Location: http://10.0.0.7/badge"));
            return CorpusInput.Url(f.AssertionUrl);
        }, Fails("badgeclass.fetch"));
    }
}
