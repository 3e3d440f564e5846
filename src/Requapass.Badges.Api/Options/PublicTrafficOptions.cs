using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Requapass.Badges.Api.Options;

/// <summary>
/// What anonymous callers may ask of one node: a rate per client address for the routes that do
/// heavy work (a baked image is a copy and a CRC; an export a ZIP; a verification up to 10 fetches),
/// and how many of each may run at once, whoever asks. Past the rate: 429; past the concurrency (and
/// its short queue): 503. Both with Retry-After.
/// </summary>
public sealed class PublicTrafficOptions : IValidatableObject
{
    public const string Section = "PublicTraffic";

    /// <summary>Baked images (GET /public/assertions/{assertionId}/image) per client address per minute.</summary>
    [Range(1, 10_000_000)] public int ImagesPerMinute { get; set; } = 600;

    /// <summary>Single-badge exports (GET /public/assertions/{assertionId}/export) per client address per minute.</summary>
    [Range(1, 10_000_000)] public int ExportsPerMinute { get; set; } = 30;

    /// <summary>
    /// Claims (POST /public/claims) per client address per minute: what makes guessing a claim code
    /// hopeless (README, Claim codes). A volunteer needs one or two.
    /// </summary>
    [Range(1, 10_000)] public int ClaimsPerMinute { get; set; } = 10;

    /// <summary>
    /// Progress grids (GET /public/recipients/progress) per client address per minute: each one proves a
    /// token and reads a recipient's badges; it also makes guessing tokens hopeless.
    /// </summary>
    [Range(1, 10_000)] public int ProgressPerMinute { get; set; } = 30;

    /// <summary>
    /// Skills map starts and lost-link requests (POST /public/skills-maps, /public/skills-maps/links)
    /// per client address per minute: each may send a mail.
    /// </summary>
    [Range(1, 10_000)] public int SkillsMapMailsPerMinute { get; set; } = 5;

    /// <summary>
    /// Skills map mails one address may be sent per hour, whoever asks: past it, the requests are
    /// answered as always (202) and send nothing, so nobody can flood a mailbox from many addresses.
    /// </summary>
    [Range(1, 1_000)] public int SkillsMapMailsPerAddressPerHour { get; set; } = 3;

    /// <summary>Skills maps one address may hold; past it a start sends nothing (answered as always).</summary>
    [Range(1, 1_000)] public int SkillsMapsPerAddress { get; set; } = 10;

    /// <summary>Reads, changes and downloads of skills maps (the token routes) per client address per minute.</summary>
    [Range(1, 100_000)] public int SkillsMapRequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// Applications' writes (POST /public/skills-maps/{token}/applications, answer, withdraw) per client
    /// address per minute: each writes and most mail the volunteer. A volunteer needs a few.
    /// </summary>
    [Range(1, 10_000)] public int ApplicationsPerMinute { get; set; } = 10;

    /// <summary>
    /// Requests for a link to one's own data (POST /public/my-data) per client address per minute: each
    /// may send a mail.
    /// </summary>
    [Range(1, 10_000)] public int DataAccessMailsPerMinute { get; set; } = 5;

    /// <summary>
    /// Data access links one address may be sent per hour, whoever asks: past it, requests are answered
    /// as always (202) and send nothing.
    /// </summary>
    [Range(1, 1_000)] public int DataAccessMailsPerAddressPerHour { get; set; } = 3;

    /// <summary>Reads of one's own data and erasures (the /public/my-data/{token} routes) per client address per minute.</summary>
    [Range(1, 10_000)] public int DataAccessRequestsPerMinute { get; set; } = 30;

    [Range(1, 10_000)] public int ConcurrentImages { get; set; } = 64;
    [Range(1, 10_000)] public int ConcurrentExports { get; set; } = 4;
    [Range(1, 10_000)] public int ConcurrentVerifications { get; set; } = 16;

    /// <summary>
    /// The reverse proxies (addresses, or CIDR networks such as 10.0.0.0/8) whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed. Empty (the default): the headers are ignored and the client
    /// address is the connection's, so no caller can choose its own rate-limit bucket.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in TrustedProxies)
        {
            if (!IPNetwork.TryParse(proxy, out _) && !IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"PublicTraffic:TrustedProxies: '{proxy}' is neither an IP address nor a CIDR network such as 10.0.0.0/8.", [nameof(TrustedProxies)]);
            }
        }
    }
}
