using System.Text.Json.Serialization;
using Requapass.Badges.Core.Signing;

namespace Requapass.Badges.Core.OpenBadges3;

/// <summary>
/// OB 3.0 "Profile": the issuer. Inside a credential it carries what a displayer shows; served alone
/// it also lists its public keys (<see cref="VerificationMethod"/>).
/// </summary>
public sealed record Profile
{
    /// <summary>Set when the profile is served alone; null inside a credential.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public IReadOnlyList<string>? Context { get; init; }
    /// <summary>The profile's URL (the JWT's iss).</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-2)] public required string Id { get; init; }
    /// <summary>"Profile".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-1)] public IReadOnlyList<string> Type { get; init; } = ["Profile"];
    /// <summary>The issuer's name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }
    /// <summary>Its homepage.</summary>
    [JsonPropertyName("url")] public string? Url { get; init; }
    /// <summary>A contact address (the association's, never a recipient's).</summary>
    [JsonPropertyName("email")] public string? Email { get; init; }
    /// <summary>A telephone number (OB 3.0 "Phone" mixin).</summary>
    [JsonPropertyName("phone")] public string? Phone { get; init; }
    /// <summary>A description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }
    /// <summary>Its image.</summary>
    [JsonPropertyName("image")] public Image? Image { get; init; }
    /// <summary>Other identifiers: the OB 2.0 Profile's URL.</summary>
    [JsonPropertyName("otherIdentifier")] public IReadOnlyList<IdentifierEntry>? OtherIdentifier { get; init; }
    /// <summary>The public keys, served alone only (see <see cref="KeyEntry"/>).</summary>
    [JsonPropertyName("verificationMethod")] public IReadOnlyList<KeyEntry>? VerificationMethod { get; init; }
}

/// <summary>OB 3.0 "IdentifierEntry".</summary>
public sealed record IdentifierEntry(
    [property: JsonPropertyName("identifier")] string Identifier,
    [property: JsonPropertyName("identifierType")] string IdentifierType)
{
    /// <summary>"IdentifierEntry".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-1)] public string Type { get; init; } = "IdentifierEntry";
}

/// <summary>
/// A public key of the issuer. OB 3.0 defines the JWK (common credentials, "SharedProofDataModels: JWK")
/// but no Profile property holding it (Profile is extensible, "Mixin Extensions"); this entry follows
/// the shape wallets know from controller documents (W3C Controlled Identifiers: a verification
/// method with id, type "JsonWebKey", controller and publicKeyJwk). Its id is the JWT's kid, a URL
/// that answers the JWK alone (OB 3.0, "Dereferencing the Public Key").
/// </summary>
public sealed record KeyEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("controller")] string Controller,
    [property: JsonPropertyName("publicKeyJwk")] Jwk PublicKeyJwk)
{
    /// <summary>"JsonWebKey".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(1)] public string Type { get; init; } = "JsonWebKey";
}

/// <summary>
/// The issuer's revocation list for its OB 3.0 credentials (1EdTech Revocation List Status Method 1.0,
/// the status type OB 3.0 names in "Verification", step "Refresh and revocation"): every revoked
/// credential by id, with its reason.
/// </summary>
public sealed record RevocationList
{
    /// <summary>The list's URL (what each credentialStatus.id names).</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>The issuer Profile's id.</summary>
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    /// <summary>The revoked credentials; always an array.</summary>
    [JsonPropertyName("revokedCredentials")] public required IReadOnlyList<RevokedCredential> RevokedCredentials { get; init; }
}

/// <summary>One entry of a <see cref="RevocationList"/>.</summary>
public sealed record RevokedCredential(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("revocationReason")] string? RevocationReason);
