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
