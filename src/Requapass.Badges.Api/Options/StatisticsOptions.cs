using System.ComponentModel.DataAnnotations;

namespace Requapass.Badges.Api.Options;

/// <summary>The barometer's figures (Features/Statistics).</summary>
public sealed class StatisticsOptions
{
    public const string Section = "Statistics";

    /// <summary>
    /// k: a figure that counts fewer than k distinct people (fewer than k verifications) is not shown.
    /// At least 3: with k = 2, each of the two people in a cell learns the other's figure by subtracting
    /// their own; from 3 on, no member of a cell can isolate another alone. Default 5.
    /// </summary>
    [Range(3, 1_000)]
    public int MinimumCount { get; set; } = 5;

    /// <summary>
    /// How long a closed month's computed figures are read back from statistics_cells before they are
    /// computed again (StoredFigures). A closed month still changes a little: an award with a past
    /// issuedOn, a revocation, an expiry recorded late, an erasure, a claim reviewed after its month;
    /// such a change shows in the figures within this time. Zero: never stored, always computed.
    /// Default one day (the barometer is monthly).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "31.00:00:00")]
    public TimeSpan StoredFiguresLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Verifications of our badges are counted in memory and written every this often (and when the
    /// node stops), in one short transaction: a verification writes nothing itself. A crash loses at
    /// most this much of the counting (it is a statistic; no badge depends on it). Default 10 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan VerificationFlushInterval { get; set; } = TimeSpan.FromSeconds(10);
}
