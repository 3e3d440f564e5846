using System.ComponentModel.DataAnnotations;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Endorsements;

/// <summary>
/// An endorsement to publish. <c>target</c>: the public URL of another issuer's profile
/// (/public/issuers/{id}), badge class (/public/badges/{id}) or hosted assertion
/// (/public/assertions/{id}) on this service. <c>comment</c>: the claim's endorsementComment
/// (Markdown, published as written). A referent's word on one badge ("I saw Marie run the stand") is
/// an endorsement of the assertion by the referent's association, the comment naming the referent.
/// </summary>
public sealed record CreateEndorsementRequest(
    [property: MaxLength(Limits.Url)] string? Target,
    [property: MaxLength(Limits.EndorsementComment)] string? Comment);

/// <summary>
/// An endorsement as its issuer's staff see it. <c>targetKind</c>: issuer, badge-class or assertion;
/// <c>url</c>: the hosted Endorsement (JSON-LD), which answers 410 once revoked.
/// </summary>
public sealed record EndorsementResponse(
    string Id, string IssuerId, string TargetKind, string TargetId, string Target, string Comment, DateTime IssuedOn,
    bool Revoked, DateTime? RevokedAt, string? RevocationReason, string Url)
{
    public static EndorsementResponse From(EndorsementRow r, PublicUrls urls) => new(
        r.PublicId, r.IssuerPublicId, EndorsementTargets.Name(r.TargetKind), r.TargetPublicId, r.TargetUrl(urls), r.Comment, r.IssuedOn,
        r.RevokedAt is not null, r.RevokedAt, r.RevocationReason, urls.Endorsement(r.PublicId));
}

public sealed record EndorsementPage(IReadOnlyList<EndorsementResponse> Items, string? NextCursor);
