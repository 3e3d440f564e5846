using System.Text.Json.Serialization;

namespace Requapass.Badges.Core.OpenBadges3;

/// <summary>
/// The contexts an Open Badges 3.0 credential names, in this order (OB 3.0, "AchievementCredential":
/// @context, "The value of the @context property MUST be an ordered set where the first item is a URI
/// with the value 'https://www.w3.org/ns/credentials/v2', and the second item is a URI with the value
/// 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json'").
/// </summary>
public static class Ob3Context
{
    /// <summary>The W3C Verifiable Credentials Data Model 2.0 context.</summary>
    public const string Credentials = "https://www.w3.org/ns/credentials/v2";

    /// <summary>The Open Badges 3.0 context. Its content is shipped in this assembly (JsonLd/Contexts/V3); it is never fetched.</summary>
    public const string OpenBadges = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

    /// <summary>The two contexts, as a credential names them.</summary>
    public static IReadOnlyList<string> Credential { get; } = [Credentials, OpenBadges];

    /// <summary>The full IRI of the OB 2.0 types, used beside 3.0 types to mark a 2.0 twin (OB 3.0 Implementation Guide, "How to support both OB 2.0 and OB 3.0 as an Issuer").</summary>
    public const string V2Assertion = "https://w3id.org/openbadges#Assertion";

    /// <summary>See <see cref="V2Assertion"/>.</summary>
    public const string V2BadgeClass = "https://w3id.org/openbadges#BadgeClass";

    /// <summary>The text of the shipped OB 3.0 context (context-3.0.3.json).</summary>
    public static string OpenBadgesContextJson { get; } = ReadEmbedded("Requapass.Badges.Core.JsonLd.Contexts.V3.context-3.0.3.json");

    private static string ReadEmbedded(string name)
    {
        using var stream = typeof(Ob3Context).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded context {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>
/// An OpenBadgeCredential (OB 3.0, "AchievementCredential"; "OpenBadgeCredential" is its alias): one
/// award as a W3C Verifiable Credential. Its proof is external (VC-JWT, <see cref="VcJwt"/>).
/// </summary>
public sealed record OpenBadgeCredential
{
    /// <summary>The two contexts, VC 2.0 then OB 3.0.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public IReadOnlyList<string> Context { get; init; } = Ob3Context.Credential;
    /// <summary>The credential's URI (the JWT's jti).</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-2)] public required string Id { get; init; }
    /// <summary>"VerifiableCredential" and "OpenBadgeCredential".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-1)] public IReadOnlyList<string> Type { get; init; } = ["VerifiableCredential", "OpenBadgeCredential"];
    /// <summary>The achievement's name, for displayers.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }
    /// <summary>The badge image.</summary>
    [JsonPropertyName("image")] public Image? Image { get; init; }
    /// <summary>The issuer (the JWT's iss is its id).</summary>
    [JsonPropertyName("issuer")] public required Profile Issuer { get; init; }
    /// <summary>When the credential becomes valid: the 2.0 issuedOn (the JWT's nbf).</summary>
    [JsonPropertyName("validFrom")] public required DateTimeOffset ValidFrom { get; init; }
    /// <summary>When it stops being valid: the 2.0 expires (the JWT's exp).</summary>
    [JsonPropertyName("validUntil")] public DateTimeOffset? ValidUntil { get; init; }
    /// <summary>When it was awarded.</summary>
    [JsonPropertyName("awardedDate")] public DateTimeOffset? AwardedDate { get; init; }
    /// <summary>The recipient and the achievement.</summary>
    [JsonPropertyName("credentialSubject")] public required AchievementSubject CredentialSubject { get; init; }
    /// <summary>Evidence, with the 2.0 twin listed first.</summary>
    [JsonPropertyName("evidence")] public IReadOnlyList<Evidence>? Evidence { get; init; }
    /// <summary>Where its revocation is published.</summary>
    [JsonPropertyName("credentialStatus")] public CredentialStatus? CredentialStatus { get; init; }
}

/// <summary>OB 3.0 "AchievementSubject": who earned what.</summary>
public sealed record AchievementSubject
{
    /// <summary>An opaque URI for the recipient of this award (the JWT's sub).</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>"AchievementSubject".</summary>
    [JsonPropertyName("type")] public IReadOnlyList<string> Type { get; init; } = ["AchievementSubject"];
    /// <summary>The hashed identities of the recipient.</summary>
    [JsonPropertyName("identifier")] public IReadOnlyList<IdentityObject>? Identifier { get; init; }
    /// <summary>The achievement.</summary>
    [JsonPropertyName("achievement")] public required Achievement Achievement { get; init; }
    /// <summary>How the recipient earned it (Markdown).</summary>
    [JsonPropertyName("narrative")] public string? Narrative { get; init; }
}

/// <summary>OB 3.0 "IdentityObject": a hashed identity, the same hash and salt as the OB 2.0 one.</summary>
public sealed record IdentityObject(
    [property: JsonPropertyName("identityHash")] string IdentityHash,
    [property: JsonPropertyName("identityType")] string IdentityType,
    [property: JsonPropertyName("salt")] string? Salt)
{
    /// <summary>"IdentityObject".</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-2)] public string Type { get; init; } = "IdentityObject";
    /// <summary>Always true here: clear identities are never published.</summary>
    [JsonPropertyName("hashed"), JsonPropertyOrder(-1)] public bool Hashed { get; init; } = true;
}

/// <summary>OB 3.0 "Achievement": what a badge class stands for.</summary>
public sealed record Achievement
{
    /// <summary>Set when the achievement is served alone; null inside a credential.</summary>
    [JsonPropertyName("@context"), JsonPropertyOrder(-3)] public IReadOnlyList<string>? Context { get; init; }
    /// <summary>The achievement's URL.</summary>
    [JsonPropertyName("id"), JsonPropertyOrder(-2)] public required string Id { get; init; }
    /// <summary>"Achievement" (and the 2.0 BadgeClass IRI is not added: the 2.0 twin is in related).</summary>
    [JsonPropertyName("type"), JsonPropertyOrder(-1)] public IReadOnlyList<string> Type { get; init; } = ["Achievement"];
    /// <summary>OB 3.0 AchievementType, "Competency" for RECTEC+ classes.</summary>
    [JsonPropertyName("achievementType")] public string? AchievementType { get; init; }
    /// <summary>Who defined it.</summary>
    [JsonPropertyName("creator")] public Profile? Creator { get; init; }
    /// <summary>The name.</summary>
    [JsonPropertyName("name")] public required string Name { get; init; }
    /// <summary>The description.</summary>
    [JsonPropertyName("description")] public required string Description { get; init; }
    /// <summary>The criteria page and narrative.</summary>
    [JsonPropertyName("criteria")] public required Criteria Criteria { get; init; }
    /// <summary>The class image.</summary>
    [JsonPropertyName("image")] public Image? Image { get; init; }
    /// <summary>The catalogue code (e.g. COM-ORAL-N2), a code people read.</summary>
    [JsonPropertyName("humanCode")] public string? HumanCode { get; init; }
    /// <summary>BCP 47 language of the texts.</summary>
    [JsonPropertyName("inLanguage")] public string? InLanguage { get; init; }
    /// <summary>Alignments to RECTEC+.</summary>
    [JsonPropertyName("alignment")] public IReadOnlyList<Alignment>? Alignment { get; init; }
    /// <summary>Tags.</summary>
    [JsonPropertyName("tag")] public IReadOnlyList<string>? Tag { get; init; }
    /// <summary>The 2.0 BadgeClass and the other languages.</summary>
    [JsonPropertyName("related")] public IReadOnlyList<Related>? Related { get; init; }
}

/// <summary>OB 3.0 "Criteria".</summary>
public sealed record Criteria(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("narrative")] string? Narrative);

/// <summary>OB 3.0 "Image".</summary>
public sealed record Image([property: JsonPropertyName("id")] string Id)
{
    /// <summary>"Image".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "Image";
}

/// <summary>OB 3.0 "Alignment".</summary>
public sealed record Alignment
{
    /// <summary>"Alignment".</summary>
    [JsonPropertyName("type")] public IReadOnlyList<string> Type { get; init; } = ["Alignment"];
    /// <summary>Name of the target.</summary>
    [JsonPropertyName("targetName")] public required string TargetName { get; init; }
    /// <summary>URL of the target.</summary>
    [JsonPropertyName("targetUrl")] public required string TargetUrl { get; init; }
    /// <summary>Its description.</summary>
    [JsonPropertyName("targetDescription")] public string? TargetDescription { get; init; }
    /// <summary>Its framework.</summary>
    [JsonPropertyName("targetFramework")] public string? TargetFramework { get; init; }
    /// <summary>Its code.</summary>
    [JsonPropertyName("targetCode")] public string? TargetCode { get; init; }
}

/// <summary>OB 3.0 "Related": another version of the same achievement (a language, or the 2.0 twin).</summary>
public sealed record Related
{
    /// <summary>"Related", with the 2.0 type IRI for the 2.0 twin.</summary>
    [JsonPropertyName("type")] public required IReadOnlyList<string> Type { get; init; }
    /// <summary>Its URL.</summary>
    [JsonPropertyName("id")] public required string Id { get; init; }
    /// <summary>Its language.</summary>
    [JsonPropertyName("inLanguage")] public string? InLanguage { get; init; }
    /// <summary>"Open Badges v2p0" for the 2.0 twin.</summary>
    [JsonPropertyName("version")] public string? Version { get; init; }
}

/// <summary>OB 3.0 "Evidence".</summary>
public sealed record Evidence
{
    /// <summary>Its URL, if any.</summary>
    [JsonPropertyName("id")] public string? Id { get; init; }
    /// <summary>"Evidence" (and the 2.0 Assertion IRI for the 2.0 twin).</summary>
    [JsonPropertyName("type")] public IReadOnlyList<string> Type { get; init; } = ["Evidence"];
    /// <summary>Markdown narrative.</summary>
    [JsonPropertyName("narrative")] public string? Narrative { get; init; }
    /// <summary>A name.</summary>
    [JsonPropertyName("name")] public string? Name { get; init; }
    /// <summary>A description.</summary>
    [JsonPropertyName("description")] public string? Description { get; init; }
    /// <summary>The kind of evidence.</summary>
    [JsonPropertyName("genre")] public string? Genre { get; init; }
    /// <summary>Who it is for.</summary>
    [JsonPropertyName("audience")] public string? Audience { get; init; }
}

/// <summary>A credentialStatus of type "1EdTechRevocationList" (1EdTech Revocation List Status Method 1.0): id is the issuer's list.</summary>
public sealed record CredentialStatus([property: JsonPropertyName("id")] string Id)
{
    /// <summary>The status method.</summary>
    public const string RevocationListType = "1EdTechRevocationList";

    /// <summary>"1EdTechRevocationList".</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = RevocationListType;
}
