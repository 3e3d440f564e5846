using System.Security.Cryptography;
using System.Text.Json;
using Requapass.Badges.Core.JsonLd;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.Verification;

/// <summary>SignedBadge: the signature with the issuer's published key, and its revocation list.</summary>
public sealed partial class BadgeVerifier
{
    /// <summary>OB 2.0 "SignedBadge Verification", steps 4 to 6.</summary>
    private async Task VerifySignatureAsync(JwsResult jws, JsonElement assertion, JsonElement issuer)
    {
        var issuerId = ObValues.String(issuer, "id");
        var published = issuer.TryGetProperty("publicKey", out var pk) ? Items(pk).ToList() : [];
        var publishedIds = published.Select(k => k.ValueKind == JsonValueKind.String ? k.GetString() : ObValues.String(k, "id")).Where(k => k is not null).ToList();
        var verification = assertion.TryGetProperty("verification", out var v) ? v : default;
        var creator = verification.ValueKind == JsonValueKind.Object && verification.TryGetProperty("creator", out var c)
            ? c.ValueKind == JsonValueKind.String ? c.GetString() : ObValues.String(c, "id")
            : null;
        List<string?> candidates;
        if (creator is not null)
        {
            // Step 4: "Do not trust a key that is not properly linked from the issuer Profile." Our own
            // issuers also vouch for the keys they rotated away from (the source knows them).
            if (!publishedIds.Contains(creator)
                && !(issuerId is not null && Uri.TryCreate(issuerId, UriKind.Absolute, out var issuerUri)
                     && await _source.IsIssuerKeyAsync(issuerUri, creator, _ct) == true))
            {
                _report.Fail("signed.key", $"The signing key {creator} is not one the issuer's profile lists in publicKey; it is not trusted.");
                return;
            }
            candidates = [creator];
        }
        else
        {
            candidates = [.. publishedIds.Take(3)];
            if (candidates.Count == 0)
            {
                _report.Fail("signed.key", "The assertion names no creator key and the issuer's profile lists no publicKey.");
                return;
            }
        }
        string? keyProblem = null;
        string? signatureProblem = null;
        foreach (var keyId in candidates)
        {
            var key = await KeyAsync(keyId!, published);
            if (key.Error is not null) { keyProblem = key.Error; continue; }
            var owner = ObValues.String(key.Document, "owner");
            if (owner != issuerId)
            {
                keyProblem = $"The key {keyId} belongs to {owner ?? "no one"}, not to the issuer {issuerId}.";
                continue;
            }
            var rsa = PublicKey(ObValues.String(key.Document, "publicKeyPem"));
            if (rsa is null)
            {
                keyProblem = $"The key {keyId} has no usable RSA publicKeyPem.";
                continue;
            }
            // Step 6: a JWS verification with each trusted key.
            var result = Jws.Verify(jws, rsa);
            if (result.Ok)
            {
                _report.Pass("signed.key", $"The key {keyId} is listed by the issuer and owned by it.");
                if (rsa.KeySize < SigningKey.MinimumBits) { _report.Warn("signed.key_size", $"The key is {rsa.KeySize} bits; 2048 or more is expected today."); }
                _report.Pass("signed.signature", $"The signature verifies with {keyId}.");
                return;
            }
            signatureProblem = result.Code == "jws.bad_signature" ? $"The signature does not verify with the issuer's key {keyId}." : result.Message;
        }
        if (signatureProblem is not null)
        {
            _report.Pass("signed.key", "The signing key is listed by the issuer and owned by it.");
            _report.Fail("signed.signature", signatureProblem);
        }
        else
        {
            // Step 5: "If it is impossible to get a usable public key, the Assertion cannot be verified."
            _report.Fail("signed.key", keyProblem ?? "No usable key.");
        }
    }

    [ThreadStatic]
    private static Dictionary<string, RSA>? t_keys;

    /// <summary>
    /// The RSA key of a PEM, imported once per thread (an import costs several times a verification).
    /// Used synchronously on the thread that got it, never across an await.
    /// </summary>
    private static RSA? PublicKey(string? pem)
    {
        if (string.IsNullOrEmpty(pem)) { return null; }
        var keys = t_keys ??= new Dictionary<string, RSA>(StringComparer.Ordinal);
        if (keys.TryGetValue(pem, out var cached)) { return cached; }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
            return null;
        }
        if (keys.Count >= 32)
        {
            foreach (var old in keys.Values) { old.Dispose(); }
            keys.Clear();
        }
        keys[pem] = rsa;
        return rsa;
    }

    private async Task<(JsonElement Document, string? Error)> KeyAsync(string keyId, List<JsonElement> published)
    {
        // A key embedded in the issuer's own (fetched) profile is the issuer's word already.
        var embedded = published.FirstOrDefault(k => k.ValueKind == JsonValueKind.Object && ObValues.String(k, "id") == keyId && ObValues.String(k, "publicKeyPem") is not null);
        if (embedded.ValueKind == JsonValueKind.Object && ObValues.String(embedded, "owner") is not null) { return (embedded, null); }
        if (!ObValues.IsHttpUrl(keyId)) { return (default, $"The key {keyId} is not an http(s) URL and cannot be fetched."); }
        var answer = await _source.GetAsync(new Uri(keyId), JsonAccept, _ct);
        if (!answer.Ok) { return (default, $"The key {keyId} could not be fetched: {answer.Message}"); }
        if (answer.Status != 200) { return (default, $"The key {keyId} answered HTTP {answer.Status}, not 200."); }
        var read = answer.Read;
        if (read is null)
        {
            if (ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json) { return (default, $"The key {keyId} is not a JSON object."); }
            answer.Read = read = ObContext.Normalize(json);
        }
        var document = Report(read, "key", required: false);
        if (ObValues.String(document, "id") != keyId) { return (default, $"The key fetched from {keyId} declares another id."); }
        return (document, null);
    }

    /// <summary>OB 2.0 "SignedBadge Verification", step 7: the issuer's RevocationList must not name the assertion.</summary>
    private async Task CheckRevocationListAsync(JsonElement assertion, JsonElement issuer)
    {
        var list = issuer.TryGetProperty("revocationList", out var r) ? r.ValueKind == JsonValueKind.String ? r.GetString() : ObValues.String(r, "id") : null;
        if (list is null)
        {
            _report.Pass("revocation", "The issuer publishes no revocation list, so nothing revokes this badge.");
            return;
        }
        var id = ObValues.String(assertion, "id");
        var uid = ObValues.String(assertion, "uid");
        if (!ObValues.IsHttpUrl(list))
        {
            _report.Fail("revocation", $"The issuer's revocationList {list} is not an http(s) URL; revocation cannot be checked.");
            return;
        }
        RevocationAnswer? found = id is null ? null : await _source.TryCheckRevokedAsync(new Uri(list), id, _ct);
        if (found is null)
        {
            var answer = await _source.GetAsync(new Uri(list), JsonAccept, _ct);
            if (!answer.Ok || answer.Status != 200 || ParseJson(answer.Body) is not { ValueKind: JsonValueKind.Object } json)
            {
                // OB 2.0 "Data Validation": linked optional objects such as RevocationLists must be available.
                _report.Fail("revocation", $"The issuer's revocation list {list} could not be read ({(answer.Ok ? $"HTTP {answer.Status}" : answer.Message)}).");
                return;
            }
            var document = Normalize(json, "revocationlist", required: false);
            found = new RevocationAnswer(false, null);
            // revokedAssertions is one entry or an array of them; an entry is an id string or an object
            // with id (or, legacy, uid). A single entry counts exactly like a list of one.
            if (document.TryGetProperty("revokedAssertions", out var entries))
            {
                foreach (var entry in Items(entries))
                {
                    var matches = entry.ValueKind == JsonValueKind.String
                        ? entry.GetString() == id
                        : (id is not null && ObValues.String(entry, "id") == id) || (uid is not null && ObValues.String(entry, "uid") == uid);
                    if (matches) { found = new RevocationAnswer(true, ObValues.String(entry, "revocationReason")); break; }
                }
            }
        }
        if (found.Revoked)
        {
            _report.Revoked = true;
            _report.RevocationReason = found.Reason;
            _report.Fail("revocation", "The issuer's revocation list names this assertion: it is revoked." + (found.Reason is { } reason ? $" Reason: {reason}" : ""));
        }
        else
        {
            _report.Pass("revocation", "The issuer's revocation list does not name this assertion.");
        }
    }
}
