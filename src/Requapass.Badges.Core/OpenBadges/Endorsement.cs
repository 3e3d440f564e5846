using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges;

/// <summary>
/// An Endorsement (OB 2.0, "Endorsement"): a claim an issuer Profile makes about another Profile, a
/// BadgeClass or an Assertion. Like an Assertion without <c>badge</c>: <c>claim</c> names the endorsed
/// entity by its id and carries the <c>endorsementComment</c>; <c>issuer</c> is the endorser's Profile.
/// </summary>
public sealed record Endorsement
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"Endorsement".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "Endorsement";
    /// <summary>HTTP URL where the endorsement is hosted (hosted verification: its id is its URL).</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>The endorsed entity and what is claimed about it.</summary>
    [JsonPropertyName("claim")] public required EndorsementClaim Claim { get; init; }
    /// <summary>URL of the endorser's issuer Profile.</summary>
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    /// <summary>When the endorsement was published (UTC).</summary>
    [JsonPropertyName("issuedOn")] public required DateTimeOffset IssuedOn { get; init; }
    /// <summary>How to verify it: HostedBadge (the context's alias "hosted"), by fetching its id.</summary>
    [JsonPropertyName("verification")] public required VerificationObject Verification { get; init; }
}

/// <summary>The claim of an Endorsement: the endorsed entity's id and the endorser's comment (OB 2.0, "endorsementComment").</summary>
public sealed record EndorsementClaim(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("endorsementComment")] string EndorsementComment);

/// <summary>
/// The body a revoked endorsement answers with its 410, as a revoked hosted Assertion does (OB 2.0
/// "Revoking Hosted Assertions": only id and revoked are required).
/// </summary>
public sealed record RevokedEndorsement
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"Endorsement".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "Endorsement";
    /// <summary>The endorsement's id.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>Always true.</summary>
    [JsonPropertyName("revoked")] public bool Revoked { get; init; } = true;
    /// <summary>Why it was revoked.</summary>
    [JsonPropertyName("revocationReason")] public string? RevocationReason { get; init; }
}
