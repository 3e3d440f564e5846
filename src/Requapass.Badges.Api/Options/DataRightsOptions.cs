using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>
/// The volunteer's link to their own data (issue #15, part 3a): how long it lives after it is asked
/// for, and how many times it opens (the page, the JSON, the ZIP and the erasure each count one).
/// </summary>
public sealed class DataRightsOptions
{
    public const string Section = "DataRights";

    /// <summary>How long a data access link works after it is asked for.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")] public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many times a link opens before it dies (or it expires first).</summary>
    [Range(1, 1_000)] public int LinkUses { get; set; } = 20;
}
