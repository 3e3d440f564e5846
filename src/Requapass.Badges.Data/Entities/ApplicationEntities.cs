namespace Requapass.Badges.Data.Entities;

/// <summary>
/// A volunteer's application, from their skills map, for one badge class of one issuer (issue #13,
/// part 2). <see cref="EvidenceJson"/> is the experience as it was when the application was sent (or
/// last re-sent), so staff review what the volunteer sent even if the map changes later. It goes with
/// the map (ON DELETE CASCADE) when its owner deletes it; the badge it led to does not.
/// </summary>
public sealed class ApplicationEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public long BadgeClassId { get; set; }
    public long MapId { get; set; }
    /// <summary>The map's unsalted lookup key at submission: finds the badges the volunteer already holds.</summary>
    public required string RecipientLookup { get; set; }
    /// <summary>pending, info-requested, approved, rejected or withdrawn.</summary>
    public required string Status { get; set; }
    /// <summary>The volunteer's words on why the badge fits them; the assertion's narrative once approved.</summary>
    public required string Narrative { get; set; }
    /// <summary>The experience's public id and a copy of it (association, role, context, dates, hours, words, competences).</summary>
    public required string ExperiencePublicId { get; set; }
    public required string EvidenceJson { get; set; }
    /// <summary>fr, nl or en: the map's language, for the mails.</summary>
    public required string Locale { get; set; }
    public long? AssertionId { get; set; }
    public AssertionEntity? Assertion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? DecidedAt { get; set; }
}

/// <summary>One change of an application's state: who (a staff client id, or "volunteer"), when, what, and the words that came with it.</summary>
public sealed class ApplicationEventEntity
{
    public long Id { get; set; }
    public long ApplicationId { get; set; }
    public ApplicationEntity? Application { get; set; }
    /// <summary>submitted, info-requested, resubmitted, approved, rejected or withdrawn.</summary>
    public required string Kind { get; set; }
    /// <summary>The staff client's id, or "volunteer".</summary>
    public required string Actor { get; set; }
    /// <summary>The staff's message (info-requested), reason (rejected) or comment (approved); null otherwise.</summary>
    public string? Message { get; set; }
    public DateTime CreatedAt { get; set; }
}
