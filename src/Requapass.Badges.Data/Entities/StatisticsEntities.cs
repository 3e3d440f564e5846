namespace Requapass.Badges.Data.Entities;

/// <summary>
/// How many times one of our badges of a class was verified (POST /public/verify) in a month: an
/// aggregate counter, upserted by the verification itself. No person, no address, no assertion:
/// only the class, the month and the count.
/// </summary>
public sealed class VerificationCountEntity
{
    public long BadgeClassId { get; set; }
    /// <summary>The UTC month as yyyymm, e.g. 202612.</summary>
    public int Month { get; set; }
    public long Count { get; set; }
}

/// <summary>
/// One stored figure of a closed month (migration 0022): how many, and how many distinct people, for a
/// scope (an issuer's row id, 0 for REQUAPASS-wide), measure, breakdown and key ("" is the month's
/// total, or the mark that a breakdown's month was computed). Aggregates only, never a person.
/// </summary>
public sealed class StatisticsCellEntity
{
    public long Scope { get; set; }
    public string Measure { get; set; } = "";
    public string Breakdown { get; set; } = "";
    /// <summary>The UTC month as yyyymm.</summary>
    public int Month { get; set; }
    public string Key { get; set; } = "";
    public long Count { get; set; }
    public long People { get; set; }
    public DateTime ComputedAt { get; set; }
}
