using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges;

/// <summary>The JSON-LD context every Open Badges 2.0 document names (OB 2.0, "JSON-LD").</summary>
public static class ObContext
{
    /// <summary>The context IRI. Its content is shipped locally; it is never fetched at run time.</summary>
    public const string V2 = "https://w3id.org/openbadges/v2";
}

/// <summary>An issuer Profile (OB 2.0, "Profile"). Ids are absolute URLs under the public base URL.</summary>
public sealed record Profile
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"Issuer", the Profile subclass for issuers.</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "Issuer";
    /// <summary>HTTP URL where this profile is hosted.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>The issuer's name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>The issuer's homepage.</summary>
    [JsonPropertyName("url")] public required string Url { get; init; }
    /// <summary>A contact address.</summary>
    [JsonPropertyName("email")] public required string Email { get; init; }
    /// <summary>A telephone number in E.164.</summary>
    [JsonPropertyName("telephone")] public string? Telephone { get; init; }
    /// <summary>A short description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }
    /// <summary>URL of the issuer's image.</summary>
    [JsonPropertyName("image")] public string? Image { get; init; }
    /// <summary>URL of the issuer's current CryptographicKey: a single value, as validators require.</summary>
    [JsonPropertyName("publicKey")] public string? PublicKey { get; init; }
    /// <summary>URL of the issuer's RevocationList.</summary>
    [JsonPropertyName("revocationList")] public string? RevocationList { get; init; }
    /// <summary>URLs of the Endorsements of this profile hosted by this service (OB 2.0 "Properties": endorsement), not revoked; omitted when none.</summary>
    [JsonPropertyName("endorsement")] public IReadOnlyList<string>? Endorsement { get; init; }
}

/// <summary>A BadgeClass (OB 2.0, "BadgeClass").</summary>
public sealed record BadgeClass
{
    /// <summary>Always the OB 2.0 context.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public string Context { get; init; } = ObContext.V2;
    /// <summary>"BadgeClass".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "BadgeClass";
    /// <summary>HTTP URL where this badge class is hosted.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-1)] public required string Id { get; init; }
    /// <summary>BCP 47 language of the texts (OB 2.0, "BadgeClass": @language).</summary>
    [JsonPropertyName("@language")] public string? Language { get; init; }
    /// <summary>The badge's name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>A short description.</summary>
    [JsonPropertyName("description")] public required string Description { get; init; }
    /// <summary>URL of the badge image.</summary>
    [JsonPropertyName("image")] public required string Image { get; init; }
    /// <summary>What earning the badge requires.</summary>
    [JsonPropertyName("criteria")] public required Criteria Criteria { get; init; }
    /// <summary>URL of the issuer Profile.</summary>
    [JsonPropertyName("issuer")] public required string Issuer { get; init; }
    /// <summary>Alignments to frameworks (RECTEC+).</summary>
    [JsonPropertyName("alignment")] public IReadOnlyList<AlignmentObject>? Alignment { get; init; }
    /// <summary>Tags.</summary>
    [JsonPropertyName("tags")] public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>The same badge in other languages (OB 2.0, "BadgeClass": related).</summary>
    [JsonPropertyName("related")] public IReadOnlyList<RelatedBadge>? Related { get; init; }
    /// <summary>URLs of the Endorsements of this badge class hosted by this service (OB 2.0 "Properties": endorsement), not revoked; omitted when none.</summary>
    [JsonPropertyName("endorsement")] public IReadOnlyList<string>? Endorsement { get; init; }
}

/// <summary>A pointer to a version of a BadgeClass in another language.</summary>
public sealed record RelatedBadge(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("@language")] string Language);

/// <summary>Criteria (OB 2.0, "Criteria"): a URL describing them and a Markdown narrative.</summary>
public sealed record Criteria(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("narrative")] string? Narrative);

/// <summary>An AlignmentObject (OB 2.0, "AlignmentObject").</summary>
public sealed record AlignmentObject
{
    /// <summary>Name of the aligned competence.</summary>
    [JsonPropertyName("targetName")] public required string TargetName { get; init; }
    /// <summary>URL of the aligned node; the spec requires it, so it is always set.</summary>
    [JsonPropertyName("targetUrl")] public required string TargetUrl { get; init; }
    /// <summary>Short description of the target.</summary>
    [JsonPropertyName("targetDescription")] public string? TargetDescription { get; init; }
    /// <summary>Name of the framework.</summary>
    [JsonPropertyName("targetFramework")] public string? TargetFramework { get; init; }
    /// <summary>Code of the target within its framework.</summary>
    [JsonPropertyName("targetCode")] public string? TargetCode { get; init; }
}
