using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>
/// A claim campaign. <c>kind</c>: single-use (<c>codes</c> codes, one claim each, at most 10,000) or
/// multi-use (one code for everyone, <c>maxClaims</c> claims at most). <c>startsAt</c> defaults to now;
/// <c>endsAt</c> is required, after <c>startsAt</c>, at most two years later. <c>allowedDomains</c>:
/// email domains accepted (empty: any). <c>review</c>: true queues claims for staff to approve.
/// <c>locale</c>: the mails' language (fr, nl or en; default: the issuer's <c>defaultLocale</c>).
/// </summary>
public sealed record CreateCampaignRequest(
    [property: MaxLength(Limits.Code)] string? Kind,
    [property: MaxLength(Limits.Name)] string? Name,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    int? MaxClaims = null,
    int? Codes = null,
    [property: MaxLength(Limits.ClaimDomains)] IReadOnlyList<string>? AllowedDomains = null,
    bool? Review = null,
    [property: MaxLength(Limits.Language)] string? Locale = null);

/// <summary>One code of a campaign, in clear (staff only), and whether it was used.</summary>
public sealed record CampaignCode(int Number, string Code, bool Used, DateTime? UsedAt);

/// <summary>
/// A campaign. <c>status</c>: scheduled, open, ended, exhausted or closed. <c>claimUrl</c>: the page a
/// volunteer opens (the QR code's link). <c>code</c>: the multi-use code; <c>codes</c>: the single-use
/// codes, in the creation answer only (list them again with GET .../codes).
/// </summary>
public sealed record CampaignResponse(
    string Id, string BadgeClassId, string IssuerId, string Kind, string Name, DateTime StartsAt, DateTime EndsAt,
    int MaxClaims, int Claims, IReadOnlyList<string> AllowedDomains, bool Review, string? Locale, string Status,
    DateTime? ClosedAt, DateTime CreatedAt, string ClaimUrl, string? Code, IReadOnlyList<CampaignCode>? Codes);

public sealed record CampaignPage(IReadOnlyList<CampaignResponse> Items, string? NextCursor);

public sealed record CampaignCodes(string CampaignId, int Count, int Used, IReadOnlyList<CampaignCode> Items);

/// <summary>
/// A volunteer's claim: the code (any case, dashes and spaces ignored), their email address (the
/// badge's recipient), optionally a few words (the badge's narrative) and the mail's language.
/// </summary>
public sealed record ClaimRequest(
    [property: MaxLength(Limits.ClaimCode)] string? Code,
    [property: MaxLength(Limits.Email)] string? Email,
    [property: MaxLength(Limits.ClaimNarrative)] string? Narrative = null,
    [property: MaxLength(Limits.Language)] string? Locale = null);

/// <summary>
/// What became of a claim: <c>status</c> awarded (with the badge), pending (waiting for review) or
/// rejected. <c>replayed</c>: this address had already claimed in this campaign; this is that claim.
/// </summary>
public sealed record ClaimResponse(
    string ClaimId, string Status, string CampaignId, string BadgeClassId, string? AssertionId, string? BadgeUrl, bool Replayed);

/// <summary>A claim as staff review it. The address is not shown: it is kept only to send the decision.</summary>
public sealed record ClaimView(
    string Id, string CampaignId, string BadgeClassId, string Status, string? Narrative, string Locale, string? AssertionId,
    string? ReviewComment, DateTime CreatedAt, DateTime? DecidedAt);

public sealed record ClaimViewPage(IReadOnlyList<ClaimView> Items, string? NextCursor);

/// <summary>Why a claim is rejected, told to the volunteer in the rejection mail (required).</summary>
public sealed record RejectClaimRequest([property: MaxLength(Limits.Reason)] string? Comment);

/// <summary>The kinds of campaign.</summary>
public static class CampaignKinds
{
    public const string SingleUse = "single-use";
    public const string MultiUse = "multi-use";
}

/// <summary>pending (waiting for review), awarded, rejected.</summary>
public static class ClaimStatus
{
    public const string Pending = "pending";
    public const string Awarded = "awarded";
    public const string Rejected = "rejected";
}
