using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.OpenBadges3;

/// <summary>
/// The VC-JWT proof of an Open Badges 3.0 credential (OB 3.0, "JSON Web Token Proof Format"): a compact
/// JWS whose payload is the credential itself plus the claims the spec maps from it, signed RS256.
/// </summary>
public static class VcJwt
{
    /// <summary>The media type of a credential secured as a JWT.</summary>
    public const string MediaType = "application/vc+jwt";

    /// <summary>The media type of the credential as JSON-LD, unsecured.</summary>
    public const string JsonMediaType = "application/vc+ld+json";

    /// <summary>
    /// The JOSE header (OB 3.0, "Create the JOSE Header"): alg RS256, kid a URL that dereferences to the
    /// JWK, typ "JWT". "Additional JOSE Headers are NOT allowed."
    /// </summary>
    public static byte[] Header(string kid) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["alg"] = "RS256", ["kid"] = kid, ["typ"] = "JWT" });

    /// <summary>
    /// The JWT payload (OB 3.0, "JWT Payload Format"): the credential's JSON with exp = validUntil,
    /// iss = issuer.id, jti = id, nbf = validFrom and sub = credentialSubject.id, as NumericDates (RFC 7519
    /// section 2: whole seconds since the epoch) and URIs.
    /// </summary>
    public static byte[] Payload(OpenBadgeCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var json = JsonSerializer.SerializeToNode(credential, ObJson.Options)!.AsObject();
        if (credential.ValidUntil is { } until) { json["exp"] = until.ToUnixTimeSeconds(); }
        json["iss"] = credential.Issuer.Id;
        json["jti"] = credential.Id;
        json["nbf"] = credential.ValidFrom.ToUnixTimeSeconds();
        if (credential.CredentialSubject.Id is { } sub) { json["sub"] = sub; }
        return JsonSerializer.SerializeToUtf8Bytes(json, ObJson.Options);
    }

    /// <summary>Signs the credential with RS256 under <paramref name="kid"/>. Deterministic: see <see cref="Jws.SignWithHeader"/>.</summary>
    public static string Sign(OpenBadgeCredential credential, SigningKey key, string kid) =>
        Jws.SignWithHeader(Header(kid), Payload(credential), key);

    /// <summary>The key id a VC-JWT names in its header; null when it is not a JWS or names none.</summary>
    public static string? KeyId(JwsResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (!parsed.Ok || parsed.HeaderJson is null) { return null; }
        using var header = JsonDocument.Parse(parsed.HeaderJson);
        return header.RootElement.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? kid.GetString() : null;
    }

    /// <summary>
    /// Verifies a VC-JWT against the issuer's public key (OB 3.0, "Verify a Credential" and "Verify a
    /// Credential VC-JWT Signature"): the signature, then each claim against the credential it carries.
    /// Time checks (nbf in the future, exp past) are reported by code so a verifier can word them.
    /// </summary>
    public static VcJwtResult Verify(string? token, RSA publicKey, DateTimeOffset now)
    {
        var checkedJws = Jws.Verify(token, publicKey);
        if (!checkedJws.Ok) { return new VcJwtResult(false, checkedJws.Code, checkedJws.Message, null); }
        using var payload = JsonDocument.Parse(checkedJws.PayloadJson!);
        var root = payload.RootElement;
        // A VC 1.1 style token carries the credential in its vc claim (the note under "Verify a Credential").
        var credential = root.TryGetProperty("vc", out var vc) && vc.ValueKind == JsonValueKind.Object ? vc : root;
        static string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        static long? Number(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
        var issuer = credential.TryGetProperty("issuer", out var i) ? i.ValueKind == JsonValueKind.String ? i.GetString() : Text(i, "id") : null;
        var subject = credential.TryGetProperty("credentialSubject", out var s) ? Text(s, "id") : null;
        if (Text(root, "iss") is not { } iss || iss != issuer) { return Fail("vcjwt.iss_mismatch", "The iss claim is missing or is not the credential's issuer.id."); }
        if (Text(root, "sub") is not { } sub || sub != subject) { return Fail("vcjwt.sub_mismatch", "The sub claim is missing or is not the credentialSubject.id."); }
        if (Text(root, "jti") is not { } jti || jti != Text(credential, "id")) { return Fail("vcjwt.jti_mismatch", "The jti claim is missing or is not the credential's id."); }
        if (Number(root, "nbf") is not { } nbf || !SameInstant(nbf, Text(credential, "validFrom") ?? Text(credential, "issuanceDate")))
        {
            return Fail("vcjwt.nbf_mismatch", "The nbf claim is missing or is not the credential's validFrom.");
        }
        var exp = Number(root, "exp");
        var until = Text(credential, "validUntil") ?? Text(credential, "expirationDate");
        if ((exp is null) != (until is null) || (exp is { } e && !SameInstant(e, until)))
        {
            return Fail("vcjwt.exp_mismatch", "The exp claim and the credential's validUntil do not match.");
        }
        var json = credential.GetRawText();
        if (DateTimeOffset.FromUnixTimeSeconds(nbf) > now) { return new VcJwtResult(false, "vcjwt.not_yet_valid", "The credential is not valid yet (validFrom).", json); }
        if (exp is { } end && DateTimeOffset.FromUnixTimeSeconds(end) <= now) { return new VcJwtResult(false, "vcjwt.expired", "The credential has expired (validUntil).", json); }
        return new VcJwtResult(true, "ok", "The signature verifies and the claims match the credential.", json);

        static VcJwtResult Fail(string code, string message) => new(false, code, message, null);
    }

    private static bool SameInstant(long seconds, string? dateTime) =>
        dateTime is not null && DateTimeOffset.TryParse(dateTime, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) && at.ToUnixTimeSeconds() == seconds;

    /// <summary>The base64url text of the JWT's header and payload (its signing input): what the signature covers.</summary>
    public static string SigningInput(OpenBadgeCredential credential, string kid) =>
        Encoding.ASCII.GetString(Jws.SigningInput(Header(kid), Payload(credential)));
}

/// <summary>
/// The outcome of <see cref="VcJwt.Verify"/>. Codes: ok, the jws.* codes of <see cref="JwsResult"/>,
/// vcjwt.iss_mismatch, vcjwt.sub_mismatch, vcjwt.jti_mismatch, vcjwt.nbf_mismatch, vcjwt.exp_mismatch,
/// vcjwt.not_yet_valid, vcjwt.expired. <see cref="CredentialJson"/> is set once the claims matched.
/// </summary>
public sealed record VcJwtResult(bool Ok, string Code, string Message, string? CredentialJson);
