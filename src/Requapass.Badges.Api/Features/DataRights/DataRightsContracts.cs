using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Requapass.Badges.Api.Features.Applications;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.DataRights;

/// <summary>Ask for a link to one's own data: it goes to <see cref="Email"/>; locale fr, nl or en (default: Accept-Language, then fr).</summary>
public sealed record DataAccessRequest(
    [property: MaxLength(Limits.Email)] string? Email,
    [property: MaxLength(Limits.Language)] string? Locale);

/// <summary>The volunteer's erasure, from their link: <see cref="Confirm"/> must be the word <c>erase</c>.</summary>
public sealed record VolunteerErasureRequest([property: MaxLength(Limits.Code)] string? Confirm);

/// <summary>
/// A staff (or admin) erasure on a documented request: the volunteer's address and a reference to the
/// request (a ticket number, a letter's date), kept for the audit, never the address.
/// </summary>
public sealed record StaffErasureRequest(
    [property: MaxLength(Limits.Email)] string? Email,
    [property: MaxLength(Limits.ErasureReference)] string? Reference);

/// <summary>What an erasure did: badges revoked (and those already revoked, cleared too), applications, claims and maps.</summary>
public sealed record ErasureResponse(
    int BadgesRevoked, int BadgesCleared, int Applications, int Claims, int SkillsMaps, string? Reference);

/// <summary>
/// One badge of the volunteer, as they hold it: its Open Badges id and hosted URL, class and issuer,
/// dates, status, and the words and evidence the award carries. The recipient is the volunteer.
/// </summary>
public sealed record PersonalBadge(
    string Id, string AssertionUrl, string BadgeClassId, string BadgeClassName, string IssuerId, string IssuerName,
    DateTime IssuedOn, DateTime? Expires, string Verification, bool Revoked, string? RevocationReason,
    string? Narrative, JsonElement? Evidence, string? ImageUrl);

/// <summary>A claim the volunteer made with a code: the campaign's class, its status and the volunteer's words.</summary>
public sealed record PersonalClaim(string Id, string BadgeClassId, string Status, string? Narrative, DateTime CreatedAt, DateTime? DecidedAt);

/// <summary>
/// Everything tied to the proven address (GDPR article 15): badges, skills maps, applications, claims.
/// <see cref="Truncated"/>: a list reached <see cref="Limits.PersonalDataItems"/>.
/// </summary>
public sealed record PersonalDataResponse(
    DateTime GeneratedAt, DateTime LinkExpiresAt, IReadOnlyList<PersonalBadge> Badges, IReadOnlyList<SkillsMapResponse> SkillsMaps,
    IReadOnlyList<VolunteerApplicationView> Applications, IReadOnlyList<PersonalClaim> Claims, bool Truncated);
