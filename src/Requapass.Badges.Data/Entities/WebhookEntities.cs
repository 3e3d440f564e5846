namespace Requapass.Badges.Data.Entities;

/// <summary>An issuer's webhook: where to POST which events, and the secret that signs them.</summary>
public sealed class WebhookEndpointEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public required string Url { get; set; }
    /// <summary>The event types sent, space-separated (assertion.awarded assertion.revoked ...).</summary>
    public required string EventTypes { get; set; }
    /// <summary>The signing secret, encrypted (AES-GCM under a key derived from Auth:SigningKey): it must be usable to sign, so it cannot be hashed.</summary>
    public required string SecretCipher { get; set; }
    public bool Active { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? DisabledAt { get; set; }
}

/// <summary>
/// One event to one endpoint, and the state of its sending: pending until a 2xx (succeeded) or until
/// the retry schedule runs out (failed). A node claims a due delivery with a lease and a claim token.
/// </summary>
public sealed class WebhookDeliveryEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long EndpointId { get; set; }
    public long EventId { get; set; }
    /// <summary>pending, succeeded or failed.</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? ClaimToken { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? CompletedAt { get; set; }
}
