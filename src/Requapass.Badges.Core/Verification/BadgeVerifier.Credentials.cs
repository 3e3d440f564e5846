using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;
using VerificationType = Requapass.Badges.Core.OpenBadges.VerificationType;

namespace Requapass.Badges.Core.Verification;

/// <summary>
/// Open Badges 3.0 credentials (ob_v3p0 verification.md, "OpenBadgeCredential Verification"; integrity.md,
/// "Verify a Credential" for VC-JWT): the same checks as a 2.0 badge, named alike where they mean the same
/// thing (signed.key, signed.signature, revocation, recipient.match, issuer.*), plus the credential's own
/// (credential.*, time.validFrom, time.validUntil).
/// </summary>
public sealed partial class BadgeVerifier
{
    private const string CredentialAccept = "application/vc+jwt, application/jwt;q=0.9, text/plain;q=0.5";

    /// <summary>True when the JSON is a Verifiable Credential (an OB 3.0 credential), not an OB 2.0 document.</summary>
    public static bool IsCredential(JsonElement json) =>
        json.ValueKind == JsonValueKind.Object && (ObValues.HasType(json, "VerifiableCredential")
            || (json.TryGetProperty("vc", out var vc) && vc.ValueKind == JsonValueKind.Object));

    /// <summary>True when the compact JWS carries a Verifiable Credential (a VC-JWT), not an OB 2.0 assertion.</summary>
    public static bool IsCredentialJwt(string text)
    {
        var parsed = Jws.Parse(text.Trim());
        if (!parsed.Ok) { return false; }
        using var payload = JsonDocument.Parse(parsed.PayloadJson!);
        return IsCredential(payload.RootElement);
    }

    /// <summary>Verifies an OB 3.0 credential given as text: its VC-JWT, or its JSON.</summary>
    public async Task<VerificationReport> VerifyCredentialAsync(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('{')) { return await VerifyCredentialJwtAsync(trimmed); }
        if (ParseJson(Encoding.UTF8.GetBytes(trimmed)) is not { ValueKind: JsonValueKind.Object } json)
        {
            _report.Version = 3;
            _report.Fail("credential.json", "The credential starts like JSON but does not parse.");
            return _report.Build();
        }
        return await VerifyCredentialJsonAsync(json);
    }

    /// <summary>
    /// A credential as JSON. Ours (and many issuers') carry no embedded proof: the VC-JWT is the proof
    /// (integrity.md, "JSON Web Token Proof Format"), so the credential's id is asked for it, as a signed 2.0
    /// assertion's URL is asked for its JWS. An embedded Data Integrity proof is not verified here (the README
    /// says why: no RDF canonicalisation), and is said so.
    /// </summary>
    public async Task<VerificationReport> VerifyCredentialJsonAsync(JsonElement credential)
    {
        _report.Version = 3;
        _report.VerificationType = VerificationType.Signed;
        if (credential.TryGetProperty("vc", out var vc) && vc.ValueKind == JsonValueKind.Object) { credential = vc; }
        _report.Assertion = credential;
        _report.BadgeClass = Achievement(credential);
        var id = ObValues.String(credential, "id");
        if (credential.TryGetProperty("proof", out _))
        {
            CheckCredentialShape(credential);
            _report.Fail("credential.proof", "The credential carries an embedded (Data Integrity) proof, which this verifier does not check; send its VC-JWT.");
            return _report.Build();
        }
        if (id is null || !ObValues.IsHttpUrl(id))
        {
            CheckCredentialShape(credential);
            _report.Fail("credential.proof", "The credential carries no proof and its id is not an http(s) URL that could serve its VC-JWT.");
            return _report.Build();
        }
        var answer = await _source.GetAsync(new Uri(id), CredentialAccept, _ct);
        if (answer.Ok && answer.Status == 410)
        {
            // As for a 2.0 hosted assertion (OB 2.0 "Revoking Hosted Assertions"): the issuer says Gone.
            CheckCredentialShape(credential);
            _report.Revoked = true;
            _report.RevocationReason = ParseJson(answer.Body) is { ValueKind: JsonValueKind.Object } gone ? ObValues.String(gone, "revocationReason") : null;
            _report.Fail("revocation", "The issuer answers 410 Gone for this credential: it is revoked." + (_report.RevocationReason is { } r ? $" Reason: {r}" : ""));
            return _report.Build();
        }
        var token = answer.Ok && answer.Status == 200 && answer.Body is { } body ? Encoding.UTF8.GetString(body).Trim() : null;
        if (token is null || !LooksLikeJws(token))
        {
            CheckCredentialShape(credential);
            _report.Fail("credential.proof", $"The credential carries no proof and {id} does not serve its VC-JWT ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
            return _report.Build();
        }
        _report.Pass("credential.proof", $"The credential carries no proof; its VC-JWT, served at its id, is verified instead.");
        var report = await VerifyCredentialJwtAsync(token);
        if (ObValues.String(report.Assertion ?? default, "id") != id)
        {
            _report.Fail("credential.id", $"The VC-JWT served at {id} is for another credential.");
            return _report.Build();
        }
        return report;
    }

    /// <summary>A credential secured as a VC-JWT (integrity.md, "Verify a Credential" and "Verify a Credential VC-JWT Signature").</summary>
    public async Task<VerificationReport> VerifyCredentialJwtAsync(string token)
    {
        _report.Version = 3;
        _report.VerificationType = VerificationType.Signed;
        var parsed = Jws.Parse(token);
        if (!parsed.Ok)
        {
            _report.Fail("credential.jwt", parsed.Message);
            return _report.Build();
        }
        using var payload = JsonDocument.Parse(parsed.PayloadJson!);
        // The note under "Verify a Credential": a VC 1.1 style token carries the credential in its vc claim.
        var credential = (payload.RootElement.TryGetProperty("vc", out var vc) && vc.ValueKind == JsonValueKind.Object ? vc : payload.RootElement).Clone();
        _report.Pass("credential.jwt", "The VC-JWT is a well-formed compact JWS and its payload a JSON object.");
        _report.Check("signed.alg", parsed.Algorithm is "RS256" or "RS384" or "RS512", $"The VC-JWT is signed with {parsed.Algorithm}.",
            $"The VC-JWT algorithm \"{parsed.Algorithm}\" is not allowed: only RS256, RS384 and RS512 are (never \"none\").");
        _report.Assertion = credential;
        _report.BadgeClass = Achievement(credential);
        CheckCredentialShape(credential);
        var issuerId = credential.TryGetProperty("issuer", out var i) ? i.ValueKind == JsonValueKind.String ? i.GetString() : ObValues.String(i, "id") : null;
        var profile = issuerId is not null && ObValues.IsHttpUrl(issuerId) ? await FetchProfileAsync(issuerId) : null;
        _report.Issuer = profile ?? (i.ValueKind == JsonValueKind.Object ? i.Clone() : null);
        var key = await CredentialKeyAsync(VcJwt.KeyId(parsed), issuerId, profile);
        if (key is not null)
        {
            var result = VcJwt.Verify(token, key, _now);
            if (result.Code.StartsWith("jws.", StringComparison.Ordinal))
            {
                _report.Fail("signed.signature", result.Code == "jws.bad_signature" ? "The signature does not verify with the issuer's key." : result.Message);
            }
            else
            {
                _report.Pass("signed.signature", "The VC-JWT's signature verifies with the issuer's key.");
                var claimsOk = result.Ok || result.Code is "vcjwt.not_yet_valid" or "vcjwt.expired";
                _report.Check("credential.claims", claimsOk, "The JWT claims iss, sub, jti, nbf and exp match the credential.", result.Message);
            }
        }
        await CheckCredentialStatusAsync(credential);
        CheckCredentialTimes(credential);
        CheckCredentialRecipient(credential);
        return _report.Build();
    }

    /// <summary>
    /// The issuer Profile at the credential's issuer.id: the issuer's own word on its keys (an embedded
    /// profile is the holder's copy). Read as OB 3.0 JSON, not through the 2.0 context.
    /// </summary>
    private async Task<JsonElement?> FetchProfileAsync(string url)
    {
        var answer = await _source.GetAsync(new Uri(url), JsonAccept, _ct);
        if (!answer.Ok || answer.Status != 200 || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
        {
            _report.Fail("issuer.fetch", $"The issuer Profile {url} could not be read ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
            return null;
        }
        var id = ObValues.String(json, "id");
        _report.Check("issuer.id", id == url, $"The issuer Profile fetched from {url} has that id.", $"The issuer Profile fetched from {url} declares another id ({id ?? "none"}).");
        return id == url ? json : null;
    }

    private static JsonElement? Achievement(JsonElement credential) =>
        credential.TryGetProperty("credentialSubject", out var s) && s.ValueKind == JsonValueKind.Object
        && s.TryGetProperty("achievement", out var a) && a.ValueKind == JsonValueKind.Object ? a.Clone() : null;

    /// <summary>verification.md, step 1: an OpenBadgeCredential whose credentialSubject has an id and/or an identifier.</summary>
    private void CheckCredentialShape(JsonElement credential)
    {
        _report.Check("credential.type", ObValues.HasType(credential, "VerifiableCredential") && ObValues.HasType(credential, "OpenBadgeCredential", "AchievementCredential"),
            "The credential is a VerifiableCredential and an OpenBadgeCredential.", "The credential's type must list VerifiableCredential and OpenBadgeCredential (or AchievementCredential).");
        var subject = credential.TryGetProperty("credentialSubject", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
        _report.Check("credential.subject", subject.ValueKind == JsonValueKind.Object && (ObValues.String(subject, "id") is not null || subject.TryGetProperty("identifier", out _)),
            "The credentialSubject is identified by an id or an identifier.", "The credentialSubject has neither an id nor an identifier.");
        _report.Check("credential.issuer", credential.TryGetProperty("issuer", out var i) && (i.ValueKind == JsonValueKind.String ? i.GetString() : ObValues.String(i, "id")) is not null,
            "The credential names its issuer.", "The credential has no issuer id.");
    }

    /// <summary>
    /// The issuer's public key for the JWT's kid (integrity.md, "Verify a Credential": dereference the kid to the
    /// JWK). As OB 2.0 step 4 ("Do not trust a key that is not properly linked from the issuer Profile"), the
    /// kid must be listed in the issuer Profile's verificationMethod, be a key our own issuer holds, or be
    /// served from the issuer's own origin; a jwk in the header alone proves nothing and is not used.
    /// </summary>
    private async Task<RSA?> CredentialKeyAsync(string? kid, string? issuerId, JsonElement? profile)
    {
        if (kid is null || !ObValues.IsHttpUrl(kid))
        {
            _report.Fail("signed.key", kid is null ? "The VC-JWT header names no kid: no key of the issuer can be found." : $"The kid {kid} is not an http(s) URL this verifier can dereference.");
            return null;
        }
        var methods = profile is { } p && p.TryGetProperty("verificationMethod", out var vm) ? Items(vm).ToList() : [];
        var listed = methods.FirstOrDefault(m => (m.ValueKind == JsonValueKind.String ? m.GetString() : ObValues.String(m, "id")) == kid);
        var issuerUri = issuerId is not null && Uri.TryCreate(issuerId, UriKind.Absolute, out var u) ? u : null;
        string how;
        if (listed.ValueKind != JsonValueKind.Undefined) { how = "is listed in the issuer's verificationMethod"; }
        else if (issuerUri is not null && await _source.IsIssuerKeyAsync(issuerUri, kid, _ct) == true) { how = "is one of the issuer's keys"; }
        else if (issuerUri is not null && methods.Count == 0 && SameAuthority(new Uri(kid), issuerUri.Authority)) { how = "is served from the issuer's own origin"; }
        else
        {
            _report.Fail("signed.key", $"The key {kid} is not linked from the issuer's profile ({issuerId ?? "no issuer"}); it is not trusted.");
            return null;
        }
        JsonElement jwk;
        if (listed.ValueKind == JsonValueKind.Object && listed.TryGetProperty("publicKeyJwk", out var embedded) && embedded.ValueKind == JsonValueKind.Object)
        {
            jwk = embedded; // the issuer's own (fetched) profile already says it
        }
        else
        {
            var answer = await _source.GetAsync(new Uri(kid), "application/jwk+json, application/json;q=0.9, */*;q=0.1", _ct);
            if (!answer.Ok || answer.Status != 200 || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } fetched)
            {
                _report.Fail("signed.key", $"The key {kid} could not be read ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
                return null;
            }
            jwk = fetched.TryGetProperty("publicKeyJwk", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : fetched;
        }
        var rsa = RsaFromJwk(jwk);
        if (rsa is null)
        {
            _report.Fail("signed.key", $"The key {kid} is not a usable RSA JWK (kty RSA, n, e).");
            return null;
        }
        _report.Pass("signed.key", $"The key {kid} {how}.");
        if (rsa.KeySize < SigningKey.MinimumBits) { _report.Warn("signed.key_size", $"The key is {rsa.KeySize} bits; 2048 or more is expected today."); }
        return rsa;
    }

    private static RSA? RsaFromJwk(JsonElement jwk)
    {
        if (ObValues.String(jwk, "kty") != "RSA" || ObValues.String(jwk, "n") is not { } n || ObValues.String(jwk, "e") is not { } e) { return null; }
        try
        {
            var rsa = RSA.Create();
            rsa.ImportParameters(new RSAParameters { Modulus = Base64Url.Decode(n), Exponent = Base64Url.Decode(e) });
            return rsa;
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or ArgumentException)
        {
            return null;
        }
    }

}
