namespace Requapass.Badges.Data.Entities;

/// <summary>
/// A volunteer's skills map ("carte de compétences", issue #13): experiences in associations and the
/// RECTEC+ competences the volunteer believes each one built. There is no account: the map is reached
/// with a capability token sent by email, and only its SHA-256 (<see cref="TokenHash"/>) is stored.
/// <see cref="Address"/> is kept because the journey mails the volunteer (the link again, each step of
/// an application); it goes with the map when its owner deletes it.
/// </summary>
public sealed class SkillsMapEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    /// <summary>SHA-256 (hex) of the capability token; the token itself is only in the volunteer's mail.</summary>
    public required string TokenHash { get; set; }
    /// <summary>The same unsalted internal key as assertions.recipient_lookup: finds the volunteer's badges.</summary>
    public required string RecipientLookup { get; set; }
    /// <summary>The normalised email address the link was sent to.</summary>
    public required string Address { get; set; }
    /// <summary>fr, nl or en: the language of the map's mails and pages.</summary>
    public required string Locale { get; set; }
    public string? Title { get; set; }
    /// <summary>Last time the link was used; retention of abandoned maps counts from it.</summary>
    public DateTime LastUsedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One associative experience of a skills map, in the volunteer's words.</summary>
public sealed class SkillsMapExperienceEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long MapId { get; set; }
    /// <summary>Display order within the map, from 1.</summary>
    public int Position { get; set; }
    public required string Association { get; set; }
    public required string Role { get; set; }
    /// <summary>What the volunteer did.</summary>
    public string? ContextWhat { get; set; }
    /// <summary>For whom (the public, the members, children...).</summary>
    public string? ContextForWhom { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    /// <summary>When the dates are unknown: how long, in months.</summary>
    public int? DurationMonths { get; set; }
    public int? HoursPerMonth { get; set; }
    /// <summary>The volunteer's own words about the experience.</summary>
    public string? Narrative { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A competence the volunteer believes an experience built (at most four per experience).</summary>
public sealed class SkillsMapCompetenceEntity
{
    public long Id { get; set; }
    public long ExperienceId { get; set; }
    /// <summary>The catalogue's competence key (competency_key, e.g. communication_orale).</summary>
    public required string CompetenceKey { get; set; }
    /// <summary>The level (1 to 4) the volunteer believes they reached.</summary>
    public int Level { get; set; }
    /// <summary>An example from the experience that shows it.</summary>
    public string? Example { get; set; }
    public int Position { get; set; }
}
