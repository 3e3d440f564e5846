namespace Requapass.Badges.Data.Entities;

/// <summary>
/// A volunteer's proven access to their own data (issue #15, part 3a: GDPR articles 15 and 17): a link
/// mailed to the address opens every badge, skills map and application tied to it, as JSON, as a ZIP of
/// baked badges, and the erasure form. As with a skills map, the database keeps only the SHA-256 of the
/// 256-bit token (<see cref="TokenHash"/>), drawn by the mail worker when it writes the mail, and no
/// address: the mail row holds it until the mail is sent. The row dies at <see cref="ExpiresAt"/> (or
/// with the erasure it allowed); a link opens at most <see cref="UsesLeft"/> more times.
/// </summary>
public sealed class DataAccessEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    /// <summary>SHA-256 (hex) of the capability token; a placeholder nobody holds until the mail is written.</summary>
    public required string TokenHash { get; set; }
    /// <summary>The same unsalted internal key as assertions.recipient_lookup: finds the volunteer's data.</summary>
    public required string RecipientLookup { get; set; }
    /// <summary>fr, nl or en: the language of the mail and of the page.</summary>
    public required string Locale { get; set; }
    /// <summary>How many more times the link opens (page, JSON, ZIP or erasure).</summary>
    public int UsesLeft { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
}
