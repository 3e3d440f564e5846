using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges;

/// <summary>An Assertion (OB 2.0, "Assertion"): one badge awarded to one recipient.</summary>
public sealed record Assertion
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"Assertion".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "Assertion";
    /// <summary>HTTP URL where the assertion is hosted (or a urn:uuid for a signed badge).</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>The hashed recipient.</summary>
    [JsonPropertyName("recipient")] public required IdentityObject Recipient { get; init; }
    /// <summary>URL of the BadgeClass.</summary>
    [JsonPropertyName("badge")] public required string Badge { get; init; }
    /// <summary>How to verify the assertion.</summary>
    [JsonPropertyName("verification")] public required VerificationObject Verification { get; init; }
    /// <summary>When it was issued (UTC).</summary>
    [JsonPropertyName("issuedOn")] public required DateTimeOffset IssuedOn { get; init; }
    /// <summary>When it expires, if it does (UTC).</summary>
    [JsonPropertyName("expires")] public DateTimeOffset? Expires { get; init; }
    /// <summary>URL of the baked image.</summary>
    [JsonPropertyName("image")] public string? Image { get; init; }
    /// <summary>Evidence of the work that earned the badge.</summary>
    [JsonPropertyName("evidence")] public IReadOnlyList<Evidence>? Evidence { get; init; }
    /// <summary>Markdown narrative of how the recipient earned it.</summary>
    [JsonPropertyName("narrative")] public string? Narrative { get; init; }
    /// <summary>URLs of the Endorsements of this assertion hosted by this service (OB 2.0 "Properties": endorsement), not revoked; omitted when none.</summary>
    [JsonPropertyName("endorsement")] public IReadOnlyList<string>? Endorsement { get; init; }
}

/// <summary>The body a revoked hosted assertion answers with its 410 (OB 2.0, "Revocation" under HostedBadge).</summary>
public sealed record RevokedAssertion
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"Assertion".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "Assertion";
    /// <summary>The assertion's id.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>Always true.</summary>
    [JsonPropertyName("revoked")] public bool Revoked { get; init; } = true;
    /// <summary>Why it was revoked.</summary>
    [JsonPropertyName("revocationReason")] public string? RevocationReason { get; init; }
}

/// <summary>An IdentityObject (OB 2.0, "IdentityObject"): the hashed recipient with its salt.</summary>
public sealed record IdentityObject(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("hashed")] bool Hashed,
    [property: JsonPropertyName("salt")] string? Salt,
    [property: JsonPropertyName("identity")] string Identity);

/// <summary>A VerificationObject (OB 2.0, "VerificationObject").</summary>
public sealed record VerificationObject
{
    /// <summary>"HostedBadge" or "SignedBadge".</summary>
    [JsonPropertyName("type")] public required string Type { get; init; }
    /// <summary>For a signed badge, the URL of the CryptographicKey.</summary>
    [JsonPropertyName("creator")] public string? Creator { get; init; }
}

/// <summary>Evidence (OB 2.0, "Evidence").</summary>
public sealed record Evidence
{
    /// <summary>"Evidence".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "Evidence";
    /// <summary>URL of the evidence.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>Markdown narrative.</summary>
    [JsonPropertyName("narrative")] public string? Narrative { get; init; }
    /// <summary>A short name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }
    /// <summary>A description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }
    /// <summary>The kind of evidence.</summary>
    [JsonPropertyName("genre")] public string? Genre { get; init; }
    /// <summary>How the evidence relates to the badge.</summary>
    [JsonPropertyName("audience")] public string? Audience { get; init; }
}
