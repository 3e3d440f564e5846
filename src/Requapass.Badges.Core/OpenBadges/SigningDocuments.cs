using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges;

/// <summary>A CryptographicKey (OB 2.0, "CryptographicKey"): the public key a signed badge names as its creator.</summary>
public sealed record CryptographicKey
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"CryptographicKey".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "CryptographicKey";
    /// <summary>HTTP URL where the key is hosted.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>URL of the issuer Profile that owns the key.</summary>
    [JsonPropertyName("owner")] public required string Owner { get; init; }
    /// <summary>The public key, SPKI PEM.</summary>
    [JsonPropertyName("publicKeyPem")] public required string PublicKeyPem { get; init; }
}

/// <summary>A RevocationList (OB 2.0, "RevocationList"). <c>revokedAssertions</c> is always an array, for 0, 1 and many entries.</summary>
public sealed record RevocationList
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"RevocationList".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "RevocationList";
    /// <summary>HTTP URL where the list is hosted.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>URL of the issuer Profile.</summary>
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    /// <summary>The revoked assertions.</summary>
    [JsonPropertyName("revokedAssertions")] public required IReadOnlyList<RevokedEntry> RevokedAssertions { get; init; }
}

/// <summary>One revoked assertion: its id and why it was revoked.</summary>
public sealed record RevokedEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("revocationReason")] string? RevocationReason);

/// <summary>A JSON Web Key Set (RFC 7517, section 5).</summary>
public sealed record Jwks([property: JsonPropertyName("keys")] IReadOnlyList<Signing.Jwk> Keys);
