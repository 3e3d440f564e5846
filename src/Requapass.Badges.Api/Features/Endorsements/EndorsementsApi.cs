using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Endorsements;

/// <summary>
/// Endorsements made by an issuer's staff (OB 2.0 "Endorsement"): publish one about another issuer's
/// profile, badge class or hosted assertion on this service, list, read and revoke them. The
/// endorsement is addressed by its endorsementId, whose owner is the endorsing issuer: only its staff
/// may read or revoke it (Auth/IssuerScope.cs).
/// <para>
/// A referent (a person who saw the volunteer at work) endorses one badge through their association:
/// OB 2.0 "Endorsement" makes <c>issuer</c> a Profile, and hosted verification holds the endorsement's
/// id to that Profile's scope ("HostedBadge Verification"), so the endorser is the association's issuer
/// Profile and the claim's <c>endorsementComment</c> names who saw what ("I saw Marie run the stand:
/// Jean Dupont, referent"). We chose this over a referent Profile of its own (/public/endorsers/{id}):
/// the association answers for its referent and can revoke; no person's profile is published, stored
/// or left to delete; and verifiers already trust the association's Profile.
/// </para>
/// </summary>
public static class EndorsementsApi
{
    public static RouteGroupBuilder MapEndorsementEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Endorsements")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/issuers/{issuerId}/endorsements", Create).WithName("CreateEndorsement")
            .WithSummary("Endorse another issuer's profile, badge class or hosted assertion on this service, with a comment.")
            .WithDescription("422 when the target is not one of this service's public documents, is a revoked assertion, "
                + "or belongs to the endorsing issuer itself (an issuer does not endorse itself: the request is understood but its "
                + "content breaks that rule, whatever the stored state, so 422 and not 409); 409 when this issuer already endorses "
                + "the target (revoke that endorsement first).")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/issuers/{issuerId}/endorsements", List).WithName("ListEndorsements")
            .WithSummary("List the endorsements an issuer made, newest first, with cursor pagination.");
        group.MapGet("/endorsements/{endorsementId}", Get).WithName("GetEndorsement").WithSummary("Get an endorsement.");
        group.MapPost("/endorsements/{endorsementId}/revoke", Revoke).WithName("RevokeEndorsement")
            .WithSummary("Revoke an endorsement; a reason is required. Its URL then answers 410 and the endorsed document no longer lists it. Revoking again changes nothing.");
        return group;
    }

    public static async Task<Results<Created<EndorsementResponse>, ProblemHttpResult, ValidationProblem>> Create(
        string issuerId, CreateEndorsementRequest request, BadgesDbContext db, PublicUrls urls, Endorsing endorsing, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        errors.HttpUrl("target", request.Target);
        errors.Required("comment", request.Comment);
        if (errors.Any) { return errors.ToProblem(); }
        var (target, refusal) = await endorsing.ResolveAsync(request.Target!.Trim(), ct);
        if (target is not null)
        {
            string? publicId;
            (publicId, refusal) = await endorsing.EndorseAsync(issuer.Id, issuer.PublicId, target, request.Comment!.Trim(), ct);
            if (publicId is not null)
            {
                var row = await DocumentRows.Endorsement(publicId, db, ct);
                return TypedResults.Created($"/api/v1/endorsements/{publicId}", EndorsementResponse.From(row!, urls));
            }
        }
        return refusal switch
        {
            EndorseRefusal.Duplicate => Problems.Conflict("already-endorsed", "This issuer already endorses that document; revoke that endorsement first to publish another."),
            EndorseRefusal.Self => Problems.Unprocessable("self-endorsement", "An issuer does not endorse its own profile, badge classes or badges: an endorsement is another party's word."),
            EndorseRefusal.Revoked => Problems.Unprocessable("revoked-assertion", "That assertion is revoked."),
            EndorseRefusal.NotFound => Problems.Unprocessable("target-not-found", "No issuer, badge class or assertion of this service has that URL."),
            _ => Problems.Unprocessable("target-not-ours", $"target must be the URL of an issuer, badge class or hosted assertion of this service ({urls.Base}/public/issuers|badges|assertions/{{id}})."),
        };
    }

    public static async Task<Results<Ok<EndorsementPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? cursor, int? limit, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var size = limit ?? 50;
        if (size is < 1 or > 200) { return Problems.Invalid("limit", "limit must be between 1 and 200."); }
        long? after = null;
        if (cursor is not null && (after = Cursors.Decode(cursor)) is null) { return Problems.Invalid("cursor", "cursor is not one this service returned."); }
        var query = db.Endorsements.AsNoTracking().Where(e => e.IssuerId == issuer.Id);
        if (after is not null) { query = query.Where(e => e.Id < after); }
        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1)
            .Select(e => new { e.Id, Row = new EndorsementRow(e.PublicId, issuer.PublicId, e.TargetKind, e.TargetPublicId, e.Comment, e.IssuedOn, e.RevokedAt, e.RevocationReason) })
            .ToListAsync(ct);
        var next = rows.Count > size ? Cursors.Encode(rows[size - 1].Id) : null;
        return TypedResults.Ok(new EndorsementPage([.. rows.Take(size).Select(r => EndorsementResponse.From(r.Row, urls))], next));
    }

    public static async Task<Results<Ok<EndorsementResponse>, ProblemHttpResult>> Get(string endorsementId, BadgesDbContext db, PublicUrls urls, CancellationToken ct) =>
        await DocumentRows.Endorsement(endorsementId, db, ct) is { } row ? TypedResults.Ok(EndorsementResponse.From(row, urls)) : Problems.NotFound("endorsement");

    public static async Task<Results<Ok<EndorsementResponse>, ProblemHttpResult, ValidationProblem>> Revoke(
        string endorsementId, RevokeRequest request, BadgesDbContext db, PublicUrls urls, Endorsing endorsing, CancellationToken ct)
    {
        if (await DocumentRows.Endorsement(endorsementId, db, ct) is null) { return Problems.NotFound("endorsement"); }
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason);
        if (errors.Any) { return errors.ToProblem(); }
        await endorsing.RevokeAsync(endorsementId, request.Reason!, ct);
        return TypedResults.Ok(EndorsementResponse.From((await DocumentRows.Endorsement(endorsementId, db, ct))!, urls));
    }
}
