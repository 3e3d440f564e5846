using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Requapass.Badges.Core.Recipients;

namespace Requapass.Badges.Core.Verification;

/// <summary>The hosted scope, time and recipient checks (OB 2.0 "Verification").</summary>
public sealed partial class BadgeVerifier
{
    /// <summary>
    /// OB 2.0 "HostedBadge Verification" and "VerificationObject": the assertion id must lie within the
    /// issuer's declared scope (startsWith, allowedOrigins), by default the host of the issuer's id.
    /// </summary>
    private void CheckHostedScope(string assertionId, JsonElement issuer, string what = "assertion")
    {
        var policy = issuer.TryGetProperty("verification", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var assertionUri = new Uri(assertionId);
        if (policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("startsWith", out var startsWith))
        {
            var prefixes = Strings(startsWith);
            if (!prefixes.Any(prefix => assertionId.StartsWith(prefix, StringComparison.Ordinal)))
            {
                _report.Fail("hosted.scope", $"The {what} id does not start with any prefix the issuer allows ({string.Join(", ", prefixes)}).");
                return;
            }
        }
        var declared = policy.ValueKind == JsonValueKind.Object && policy.TryGetProperty("allowedOrigins", out var origins) ? Strings(origins) : null;
        var issuerId = ObValues.String(issuer, "id");
        if (declared is null)
        {
            if (issuerId is null || !Uri.TryCreate(issuerId, UriKind.Absolute, out var issuerUri) || !ObValues.IsHttpUrl(issuerId))
            {
                _report.Warn("hosted.scope", $"The issuer's id is not an http(s) URL, so there is no origin to hold the {what} to.");
                return;
            }
            _report.Check("hosted.scope", SameAuthority(assertionUri, issuerUri.Authority),
                $"The {what} is hosted on the issuer's origin ({issuerUri.Authority}).",
                $"The {what} is hosted on {assertionUri.Authority}, not on the issuer's origin {issuerUri.Authority}, and the issuer declares no other.");
            return;
        }
        _report.Check("hosted.scope", declared.Any(origin => SameAuthority(assertionUri, origin)),
            $"The {what} is hosted on an origin the issuer allows ({assertionUri.Authority}).",
            $"The {what} is hosted on {assertionUri.Authority}, which is not among the issuer's allowedOrigins ({string.Join(", ", declared)}).");
    }

    /// <summary>An allowed origin is a host name (any port) or a host:port.</summary>
    private static bool SameAuthority(Uri uri, string origin) =>
        string.Equals(origin, uri.Authority, StringComparison.OrdinalIgnoreCase) || string.Equals(origin, uri.Host, StringComparison.OrdinalIgnoreCase)
        || string.Equals(origin, $"{uri.Host}:{uri.Port}", StringComparison.OrdinalIgnoreCase);

    /// <summary>OB 2.0 "Verification": the assertion is not from the future and has not expired.</summary>
    private void CheckTimes(JsonElement assertion)
    {
        if (Date(assertion, "issuedOn") is { } issuedOn)
        {
            _report.Check("time.issuedOn", issuedOn <= _now + ClockSkew, "issuedOn is not in the future.",
                $"issuedOn ({ObValues.String(assertion, "issuedOn")}) is in the future.");
        }
        if (Date(assertion, "expires") is { } expires)
        {
            if (Date(assertion, "issuedOn") is { } issued && expires < issued)
            {
                _report.Fail("time.expires", "expires is earlier than issuedOn.");
            }
            else if (expires <= _now)
            {
                _report.Expired = true;
                _report.Fail("time.expires", $"The badge expired on {ObValues.String(assertion, "expires")}.");
            }
            else
            {
                _report.Pass("time.expires", "The badge has not expired.");
            }
        }
    }

    /// <summary>
    /// OB 2.0 "Verification": was the assertion awarded to this identity? The value asked about is
    /// normalised as at award time, then hashed with the badge's salt and algorithm (IdentityObject).
    /// The value as typed is tried too, for issuers that hash without normalising.
    /// </summary>
    private void CheckRecipient(JsonElement assertion)
    {
        if (_recipient is null) { return; }
        var recipient = assertion.TryGetProperty("recipient", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
        var identity = ObValues.String(recipient, "identity");
        var typeName = ObValues.String(recipient, "type");
        if (identity is null || typeName is null)
        {
            Recipient(false, "The badge has no readable recipient to compare with.");
            return;
        }
        var candidates = new List<string> { _recipient.Trim() };
        var type = RecipientIdentity.Names.Parse(typeName);
        string? normalizedIdentity = null;
        if (type is not null)
        {
            var (normalized, error) = RecipientNormalizer.Normalize(type.Value, _recipient);
            if (normalized is null)
            {
                Recipient(false, $"The recipient asked about is not a valid {typeName}: {error}");
                return;
            }
            candidates.Insert(0, normalized.Normalized);
            normalizedIdentity = RecipientNormalizer.Normalize(type.Value, identity).Identity?.Normalized;
        }
        var hashed = recipient.TryGetProperty("hashed", out var h) && h.ValueKind == JsonValueKind.True;
        bool matches;
        if (hashed)
        {
            var salt = ObValues.String(recipient, "salt") ?? "";
            var expected = identity.ToLowerInvariant();
            matches = candidates.Any(c => HashIdentity(expected, c + salt) == expected);
        }
        else
        {
            matches = candidates.Any(c => c == identity || (normalizedIdentity is not null && c == normalizedIdentity));
        }
        Recipient(matches, matches ? $"The badge was awarded to this {typeName}." : $"The badge was not awarded to this {typeName}.");
    }

    private void Recipient(bool matches, string message)
    {
        _report.RecipientMatches = matches;
        _report.Check("recipient.match", matches, message, message);
    }

    private static string? HashIdentity(string expected, string input)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        if (expected.StartsWith("sha256$", StringComparison.Ordinal)) { return "sha256$" + Convert.ToHexStringLower(SHA256.HashData(bytes)); }
#pragma warning disable CA5351 // OB 2.0 IdentityObject allows md5$ hashes; comparing one is not using MD5 for security.
        if (expected.StartsWith("md5$", StringComparison.Ordinal)) { return "md5$" + Convert.ToHexStringLower(MD5.HashData(bytes)); }
#pragma warning restore CA5351
        return null;
    }
}
