using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Assertions;

/// <summary>Who receives the badge: <c>type</c> is email, url or telephone; <c>identity</c> is sent in clear and stored only hashed.</summary>
public sealed record RecipientInput([property: MaxLength(Limits.Code)] string? Type, [property: MaxLength(Limits.Identity)] string? Identity);

public sealed record EvidenceInput(
    [property: MaxLength(Limits.Url)] string? Id, [property: MaxLength(Limits.EvidenceNarrative)] string? Narrative, [property: MaxLength(Limits.Name)] string? Name,
    [property: MaxLength(Limits.Description)] string? Description, [property: MaxLength(Limits.ShortText)] string? Genre, [property: MaxLength(Limits.ShortText)] string? Audience);

/// <summary>
/// Award a badge. issuedOn defaults to now and may not be in the future; expires must follow issuedOn.
/// <c>verification</c> is "hosted" or "signed"; it defaults to the issuer's choice.
/// <c>notify</c>: email an email recipient (default: the issuer's <c>notifyRecipients</c>); <c>locale</c>:
/// the email's language, fr, nl or en (default: the issuer's <c>defaultLocale</c>).
/// </summary>
public sealed record AwardRequest(
    RecipientInput? Recipient, DateTimeOffset? IssuedOn, DateTimeOffset? Expires, [property: MaxLength(Limits.Narrative)] string? Narrative,
    [property: MaxLength(Limits.EvidenceItems)] IReadOnlyList<EvidenceInput>? Evidence, [property: MaxLength(Limits.Code)] string? Verification = null,
    bool? Notify = null, [property: MaxLength(Limits.Language)] string? Locale = null);

public sealed record RevokeRequest([property: MaxLength(Limits.Reason)] string? Reason);

public sealed record AssertionPage(IReadOnlyList<AssertionResponse> Items, string? NextCursor);

public sealed record AssertionResponse(
    string Id, string OpenBadgesId, string BadgeClassId, string IssuerId, IdentityObject Recipient,
    DateTime IssuedOn, DateTime? Expires, string? Narrative, IReadOnlyList<Evidence> Evidence,
    bool Revoked, DateTime? RevokedAt, string? RevocationReason, DateTime CreatedAt,
    string Verification, string? Jws, string ImageUrl)
{
    /// <summary><c>OpenBadgesId</c> is the assertion's Open Badges id: its URL when hosted, its urn:uuid when signed.</summary>
    public static AssertionResponse From(AssertionEntity e, string badgeClassId, string issuerId, PublicUrls urls) => new(
        e.PublicId, VerificationTypes.OpenBadgesId(e.VerificationType, e.Uuid, urls.Assertion(e.PublicId)), badgeClassId, issuerId,
        new IdentityObject(e.RecipientType, true, e.RecipientSalt, e.RecipientHash),
        e.IssuedOn, e.Expires, e.Narrative, AssertionJson.Evidence(e.EvidenceJson),
        e.RevokedAt is not null, e.RevokedAt, e.RevocationReason, e.CreatedAt,
        e.VerificationType.Name(), e.Jws, urls.AssertionImage(e.PublicId));
}

public static class AssertionJson
{
    public static IReadOnlyList<Evidence> Evidence(string? json) =>
        json is null ? [] : JsonSerializer.Deserialize<List<Evidence>>(json, ObJson.Options) ?? [];
}
