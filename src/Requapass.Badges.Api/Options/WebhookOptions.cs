using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>Webhook deliveries: pace, limits, the retry schedule, and the SSRF exception for tests.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Webhooks";

    /// <summary>
    /// The waits after the 1st, 2nd, ... failed attempt (each with up to 20% jitter either way); when
    /// they run out the delivery is failed. About a day in all (23 h 43 min).
    /// </summary>
    public static readonly TimeSpan[] DefaultRetryDelays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10),
        TimeSpan.FromMinutes(30), TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(3), TimeSpan.FromHours(3),
        TimeSpan.FromHours(3), TimeSpan.FromHours(3), TimeSpan.FromHours(3), TimeSpan.FromHours(3), TimeSpan.FromHours(2),
    ];

    /// <summary>Replaces <see cref="DefaultRetryDelays"/> when set (Webhooks:RetryDelays:0, :1, ...).</summary>
    public TimeSpan[]? RetryDelays { get; set; }

    public IReadOnlyList<TimeSpan> Schedule => RetryDelays is { Length: > 0 } set ? set : DefaultRetryDelays;

    /// <summary>How long one delivery attempt may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node looks for due deliveries.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a node holds the deliveries it claimed; longer than <see cref="Timeout"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deliveries one node sends at once.</summary>
    [Range(1, 64)]
    public int Concurrency { get; set; } = 8;

    /// <summary>Active endpoints an issuer may have.</summary>
    [Range(1, 100)]
    public int MaxEndpointsPerIssuer { get; set; } = 10;

    /// <summary>CIDR ranges deliveries may reach despite the SSRF rules. For tests only.</summary>
    public List<string> AllowedRanges { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lease <= Timeout * 2)
        {
            yield return new ValidationResult("Webhooks:Lease must be more than twice Webhooks:Timeout, so a slow attempt keeps its delivery.", [nameof(Lease)]);
        }
        if (Schedule.Any(d => d < TimeSpan.Zero || d > TimeSpan.FromDays(1)))
        {
            yield return new ValidationResult("Webhooks:RetryDelays must each be between 0 and 1 day.", [nameof(RetryDelays)]);
        }
    }
}
