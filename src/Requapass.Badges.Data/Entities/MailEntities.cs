namespace Requapass.Badges.Data.Entities;

/// <summary>
/// What an award asked for its email: the recipient's clear address and the language, written in the
/// award's transaction (the assertion itself keeps only a salted hash). The outbox consumer of
/// assertion.awarded turns it into an <see cref="AwardMailEntity"/> and deletes it, in the dispatch
/// transaction: the address lives in one row at a time, and only until the mail is sent or abandoned.
/// </summary>
public sealed class AwardMailRequestEntity
{
    public long AssertionId { get; set; }
    public AssertionEntity? Assertion { get; set; }
    public required string Address { get; set; }
    public required string Locale { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// One email to a badge's recipient (the award's, a resend, or a reminder before it expires) or to a
/// volunteer whose claim was rejected, or a skills map's private link (<see cref="Kind"/>), and the state of its sending: pending
/// until the SMTP server accepts it (sent) or until retries run out (failed). <see cref="Address"/> is
/// set to null as soon as the mail is sent or failed. A node claims a due mail with a lease and a claim
/// token; <see cref="MessageId"/> is fixed at creation, so a resend after a crash carries the same one.
/// </summary>
public sealed class AwardMailEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    /// <summary>award (the badge's mail, or a resend), expiry-reminder, or claim-rejected (no badge: <see cref="ClaimId"/> names the claim).</summary>
    public string Kind { get; set; } = "award";
    /// <summary>The badge of an award mail; null for a claim's rejection.</summary>
    public long? AssertionId { get; set; }
    /// <summary>The rejected claim of a claim-rejected mail.</summary>
    public long? ClaimId { get; set; }
    /// <summary>The skills map of a skills-map-link mail (no issuer, no badge: the link to the volunteer's map).</summary>
    public long? SkillsMapId { get; set; }
    /// <summary>The data access of a data-access-link mail (the link to the volunteer's own data; deleted with it).</summary>
    public long? DataAccessId { get; set; }
    /// <summary>The issuer the mail speaks for; null for a skills map's link, which the service itself sends.</summary>
    public long? IssuerId { get; set; }
    /// <summary>The step of an application an application-* mail tells of (its message or reason); deleted with the application.</summary>
    public long? ApplicationEventId { get; set; }
    public ApplicationEventEntity? ApplicationEvent { get; set; }
    /// <summary>The assertion.awarded event that queued it; null for a resend asked by staff.</summary>
    public long? EventId { get; set; }
    /// <summary>The recipient's clear address, until the mail is sent or failed; then null.</summary>
    public string? Address { get; set; }
    public required string Locale { get; set; }
    /// <summary>The RFC 5322 Message-ID, without its angle brackets: the same on every attempt.</summary>
    public required string MessageId { get; set; }
    /// <summary>pending, sent or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? ClaimToken { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>
/// A reminder to send before a badge expires: the recipient's clear address and language, kept for this
/// alone from the award (in its transaction) until <see cref="DueAt"/>, when the reminder scan moves them
/// into a pending <see cref="AwardMailEntity"/> (kind "expiry-reminder") and deletes this row, in one
/// transaction. Deleted too, unsent, when the badge is revoked, expires, or its issuer turns reminders off.
/// </summary>
public sealed class ExpiryReminderEntity
{
    public long AssertionId { get; set; }
    public AssertionEntity? Assertion { get; set; }
    public required string Address { get; set; }
    public required string Locale { get; set; }
    /// <summary>The badge's expiry less the issuer's reminder days, fixed at award time.</summary>
    public DateTime DueAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
