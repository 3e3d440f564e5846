using Requapass.Badges.Core.OpenBadges;
namespace Requapass.Badges.Data.Entities;

// EF entities are storage shapes only: they are never serialized to clients. Open Badges documents
// are built from them by the Api and serialized by Core. Each row has an internal key (Id) and an
// opaque PublicId; only the PublicId ever appears in a URL.

public sealed class IssuerEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public required string Name { get; set; }
    public required string Url { get; set; }
    public required string Email { get; set; }
    public string? Telephone { get; set; }
    public string? Description { get; set; }
    public long? ImageId { get; set; }
    public StoredImageEntity? Image { get; set; }
    /// <summary>True for the one REQUAPASS issuer that owns the seeded catalogue.</summary>
    public bool IsCatalogueOwner { get; set; }
    /// <summary>How this issuer's awards are verified unless an award says otherwise (stored as "hosted" or "signed").</summary>
    public VerificationType DefaultVerification { get; set; } = VerificationType.Hosted;
    /// <summary>Whether awards email their recipient unless an award says otherwise.</summary>
    public bool NotifyRecipients { get; set; } = true;
    /// <summary>The language of award emails unless an award says otherwise: fr, nl or en.</summary>
    public string DefaultLocale { get; set; } = "fr";
    /// <summary>The display name award emails come from; null: the issuer's name.</summary>
    public string? MailSenderName { get; set; }
    /// <summary>Where replies to award emails go; null: the issuer's email.</summary>
    public string? MailReplyTo { get; set; }
    /// <summary>A short message from the issuer, shown in award emails.</summary>
    public string? MailMessage { get; set; }
    /// <summary>How many days before a badge expires its recipient is reminded by email; 0: no reminders.</summary>
    public int ExpiryReminderDays { get; set; } = 14;
    /// <summary>Where the issuer works: an ISO 3166-2 department or province code (FR-59, BE-WHT), for statistics; null: not said.</summary>
    public string? Territory { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class BadgeClassEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public IssuerEntity? Issuer { get; set; }
    public required string Language { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public required string CriteriaNarrative { get; set; }
    /// <summary>An external criteria page; when null the service hosts one.</summary>
    public string? CriteriaUrl { get; set; }
    /// <summary>JSON array of strings.</summary>
    public required string TagsJson { get; set; }
    /// <summary>JSON array of alignment objects.</summary>
    public required string AlignmentsJson { get; set; }
    /// <summary>JSON object: language code to { name, description, criteriaNarrative }.</summary>
    public required string TranslationsJson { get; set; }
    /// <summary>The RECTEC+ code when the class comes from the catalogue (unique per issuer).</summary>
    public string? CatalogueCode { get; set; }
    /// <summary>
    /// For a catalogue class: the hash of the texts the catalogue last wrote to it. Texts that no longer
    /// hash to it were edited by the issuer, and catalogue updates leave them alone.
    /// </summary>
    public string? CatalogueTextsHash { get; set; }
    /// <summary>For a class with a RECTEC+ level: whether the level below must be held first (stored as "advisory" or "strict").</summary>
    public Requapass.Badges.Core.Catalogue.LevelRule LevelRule { get; set; } = Requapass.Badges.Core.Catalogue.LevelRule.Advisory;
    public long? PngImageId { get; set; }
    public StoredImageEntity? PngImage { get; set; }
    public long? SvgImageId { get; set; }
    public StoredImageEntity? SvgImage { get; set; }
    public DateTime? ArchivedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed class AssertionEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long BadgeClassId { get; set; }
    public BadgeClassEntity? BadgeClass { get; set; }
    /// <summary>Copied from the badge class so issuer-scoped queries need no join.</summary>
    public long IssuerId { get; set; }
    public required string RecipientType { get; set; }
    /// <summary>The published salted hash, sha256$hex.</summary>
    public required string RecipientHash { get; set; }
    public required string RecipientSalt { get; set; }
    /// <summary>Unsalted internal key to find a recipient's assertions; never published.</summary>
    public required string RecipientLookup { get; set; }
    public DateTime IssuedOn { get; set; }
    public DateTime? Expires { get; set; }
    public string? Narrative { get; set; }
    /// <summary>JSON array of evidence objects, or null.</summary>
    public string? EvidenceJson { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    /// <summary>Stored as "hosted" or "signed".</summary>
    public VerificationType VerificationType { get; set; } = VerificationType.Hosted;
    /// <summary>For a signed badge: the urn:uuid that is its Open Badges id.</summary>
    public string? Uuid { get; set; }
    /// <summary>For a signed badge: the compact JWS, computed once at award time.</summary>
    public string? Jws { get; set; }
    /// <summary>For a signed badge: the key that signed it.</summary>
    public long? SigningKeyId { get; set; }
    public SigningKeyEntity? SigningKey { get; set; }
    /// <summary>The bulk award job that made it, and the row (line) it came from.</summary>
    public long? BatchJobId { get; set; }
    public int? BatchLine { get; set; }
    /// <summary>When assertion.expired was written to the outbox (once, after <see cref="Expires"/> passed).</summary>
    public DateTime? ExpiryAnnouncedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A public key an issuer signs with, published at /public/keys/{PublicId} with the issuer as owner.
/// Only the public half is stored; private keys live in PEM files named in configuration.
/// </summary>
public sealed class SigningKeyEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    /// <summary>RFC 7638 JWK thumbprint of the public key: the "kid" in the JWKS.</summary>
    public required string Thumbprint { get; set; }
    public required string PublicKeyPem { get; set; }
    /// <summary>The issuer's current key signs new badges; at most one per issuer.</summary>
    public bool IsCurrent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? RetiredAt { get; set; }
}

/// <summary>An image stored once, served as uploaded (never re-encoded).</summary>
public sealed class StoredImageEntity
{
    public long Id { get; set; }
    public required string ContentType { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ApiClientEntity
{
    public long Id { get; set; }
    public required string ClientId { get; set; }
    public required string Name { get; set; }
    public required string SecretHash { get; set; }
    /// <summary>"admin", "staff" or "game".</summary>
    public required string Role { get; set; }
    public long? IssuerId { get; set; }
    public IssuerEntity? Issuer { get; set; }
    /// <summary>For a game client: the one badge class it awards (its discovery badge).</summary>
    public long? BadgeClassId { get; set; }
    public BadgeClassEntity? BadgeClass { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DisabledAt { get; set; }
}

/// <summary>Remembers an award made under an Idempotency-Key, so a retry returns the first result.</summary>
public sealed class IdempotencyRecordEntity
{
    public required string ClientId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request that first used the key; a different request with it is refused.</summary>
    public required string RequestHash { get; set; }
    public long AssertionId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A bulk award (POST /api/v1/badge-classes/{id}/assertions/batch). The validated rows are stored with
/// the job in one write; they are then awarded chunk by chunk, each chunk's assertions and the job's
/// <see cref="NextRow"/> in one transaction, so a job survives a restart and resumes exactly where the
/// last committed chunk ended, with nothing lost or awarded twice.
/// </summary>
public sealed class BatchJobEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public long BadgeClassId { get; set; }
    /// <summary>The API client that sent it, and its Idempotency-Key (unique together).</summary>
    public required string ClientId { get; set; }
    public required string IdempotencyKey { get; set; }
    /// <summary>SHA-256 of the request; the same key with another request is refused.</summary>
    public required string RequestHash { get; set; }
    /// <summary>queued, running, completed or failed.</summary>
    public required string Status { get; set; }
    public bool Partial { get; set; }
    public int TotalRows { get; set; }
    /// <summary>The valid rows, as a JSON array of { line, request }, in order.</summary>
    public required string RowsJson { get; set; }
    /// <summary>How many of the valid rows are awarded: the next chunk starts here.</summary>
    public int NextRow { get; set; }
    public int Refused { get; set; }
    /// <summary>JSON array of refused rows: { line, errors: { field: [messages] } }.</summary>
    public required string ErrorsJson { get; set; }
    public string? FailureReason { get; set; }
    /// <summary>Until when the processing node holds the job; another node may take it after.</summary>
    public DateTime? LeaseUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}

/// <summary>
/// A domain event in the outbox: written in the transaction of the change it announces, dispatched
/// later to its consumers by whichever node claims it (lease and claim token), exactly once.
/// </summary>
public sealed class OutboxEventEntity
{
    public long Id { get; set; }
    /// <summary>The event's own id, stable across retries (webhook-id).</summary>
    public required string PublicId { get; set; }
    /// <summary>assertion.awarded, assertion.revoked, assertion.expired, batch.completed.</summary>
    public required string Type { get; set; }
    public long IssuerId { get; set; }
    /// <summary>The public id of what the event is about (an assertion, a job).</summary>
    public required string Subject { get; set; }
    /// <summary>The event's data as JSON: public ids and facts, never a clear recipient identity.</summary>
    public required string PayloadJson { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DispatchedAt { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? ClaimToken { get; set; }
    public int Attempts { get; set; }
}

/// <summary>
/// A catalogue version applied to this database, one row per change, the newest last: what the
/// start-up step compares the catalogue file with.
/// </summary>
public sealed class CatalogueVersionEntity
{
    public long Id { get; set; }
    /// <summary>The version the file declares, e.g. 2026.12.1.</summary>
    public required string Version { get; set; }
    /// <summary>The hash of every text the file writes to badge classes.</summary>
    public required string ContentHash { get; set; }
    /// <summary>Catalogue classes and adopted copies rewritten, and edited ones left alone.</summary>
    public int UpdatedClasses { get; set; }
    public int KeptClasses { get; set; }
    public DateTime AppliedAt { get; set; }
}
