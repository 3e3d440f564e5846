namespace Requapass.Badges.Data.Entities;

/// <summary>
/// A claim campaign on a badge class (issue #12, claim codes): volunteers claim the badge with a code,
/// between <see cref="StartsAt"/> and <see cref="EndsAt"/>, at most <see cref="MaxClaims"/> times.
/// <see cref="ClaimCount"/> is raised by a conditional update (below the maximum, not closed) in the
/// claim's transaction, so concurrent claims never pass the maximum.
/// </summary>
public sealed class ClaimCampaignEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public long BadgeClassId { get; set; }
    /// <summary>single-use (one code per claim) or multi-use (one code for everyone).</summary>
    public required string Kind { get; set; }
    public required string Name { get; set; }
    public DateTime StartsAt { get; set; }
    public DateTime EndsAt { get; set; }
    public int MaxClaims { get; set; }
    public int ClaimCount { get; set; }
    /// <summary>JSON array of lower-case domains; empty: any address.</summary>
    public required string AllowedDomainsJson { get; set; }
    /// <summary>True: claims wait for staff to approve them; false: the badge is awarded at once.</summary>
    public bool Review { get; set; }
    /// <summary>The language of the campaign's mails unless the claim says otherwise; null: the issuer's.</summary>
    public string? DefaultLocale { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A campaign's code. Found by <see cref="CodeHash"/> (HMAC-SHA256 of the normalised code under a key
/// derived from Auth:SigningKey); <see cref="SealedCode"/> is the code encrypted under another derived
/// key, for staff to print. Neither gives the code away without the key, which is not in the database.
/// </summary>
public sealed class ClaimCodeEntity
{
    public long Id { get; set; }
    public long CampaignId { get; set; }
    /// <summary>1 to N within the campaign: the line of the printed list.</summary>
    public int Number { get; set; }
    public required string CodeHash { get; set; }
    public required string SealedCode { get; set; }
    /// <summary>When a single-use code was consumed (set once, conditionally); never for a multi-use code.</summary>
    public DateTime? UsedAt { get; set; }
}

/// <summary>
/// One volunteer's claim in a campaign, found again by <see cref="RecipientLookup"/> (one claim per
/// address and campaign). The clear <see cref="Address"/> is kept only while a claim waits for review
/// and mail is on; the decision moves it into the decision's mail in the same transaction.
/// </summary>
public sealed class ClaimEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long CampaignId { get; set; }
    public long IssuerId { get; set; }
    public long? CodeId { get; set; }
    public required string RecipientLookup { get; set; }
    /// <summary>pending, awarded or rejected.</summary>
    public required string Status { get; set; }
    public string? Narrative { get; set; }
    public required string Locale { get; set; }
    public string? Address { get; set; }
    public long? AssertionId { get; set; }
    public AssertionEntity? Assertion { get; set; }
    public string? ReviewComment { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}
