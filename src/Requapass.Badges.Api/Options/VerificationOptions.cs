using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Requapass.Badges.Api.Options;

/// <summary>The public verifier (POST /public/verify).</summary>
public sealed class VerificationOptions : IValidatableObject
{
    public const string Section = "Verification";

    /// <summary>Verifications allowed per client address per minute (anonymous endpoint; each may fetch up to 10 documents).</summary>
    [Range(1, 10_000_000)]
    public int RequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// Address ranges (CIDR) the guarded fetcher may reach despite the SSRF rules. For tests only,
    /// which serve "foreign" badges from 127.0.0.1. Leave empty in production: anything listed here
    /// becomes reachable by anyone who can post a URL.
    /// </summary>
    public List<string> AllowedRanges { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var range in AllowedRanges)
        {
            var slash = range.IndexOf('/', StringComparison.Ordinal);
            var ok = IPAddress.TryParse(slash < 0 ? range : range[..slash], out var address)
                && (slash < 0 || (int.TryParse(range[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture, out var bits)
                    && bits >= 0 && bits <= address.GetAddressBytes().Length * 8));
            if (!ok)
            {
                yield return new ValidationResult($"Verification:AllowedRanges: '{range}' is not a CIDR range such as 127.0.0.1/32.", [nameof(AllowedRanges)]);
            }
        }
    }
}
