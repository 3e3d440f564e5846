using Requapass.Badges.Api.Features.Public;
using System.Buffers.Binary;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Assertions;

public static class AssertionsApi
{
    public static RouteGroupBuilder MapAssertionEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Assertions")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/badge-classes/{badgeClassId}/assertions", AwardEndpoint.Award).WithName("AwardBadge").WithBodyLimit(Limits.AwardBody).KeepsPublicAnswers()
            .WithSummary("Award a badge to a recipient. Send an Idempotency-Key header to make retries safe.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/issuers/{issuerId}/assertions", List).WithName("ListAssertions")
            .WithSummary("List an issuer's assertions, newest first, with cursor pagination.");
        group.MapGet("/issuers/{issuerId}/assertions/expiring", ExpiringAssertions.List).WithName("ListExpiringAssertions")
            .WithSummary("List an issuer's badges that expire within `days` (1 to 366), soonest first, each with its expiry reminder's state.");
        group.MapGet("/assertions/{assertionId}", Get).WithName("GetAssertion").WithSummary("Get an assertion.");
        group.MapPost("/assertions/{assertionId}/revoke", Revoke).WithName("RevokeAssertion")
            .WithSummary("Revoke an assertion; a reason is required. Revoking again changes nothing.");
        return group;
    }

    public static async Task<Results<Ok<AssertionPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? badgeClass, string? recipient, string? recipientType, string? cursor, int? limit,
        HttpContext http, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        var size = limit ?? 50;
        if (size is < 1 or > 200) { errors.Add("limit", "limit must be between 1 and 200."); }
        long? after = null;
        if (cursor is not null)
        {
            after = Cursors.Decode(cursor);
            if (after is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        }
        string? lookup = null;
        if (recipient is not null)
        {
            var type = RecipientIdentity.Names.Parse(recipientType ?? "email");
            var (identity, error) = type is null ? (null, "recipientType must be email, url or telephone.") : RecipientNormalizer.Normalize(type.Value, recipient);
            if (identity is null) { errors.Add("recipient", error!); }
            lookup = identity?.LookupKey();
        }
        if (errors.Any) { return errors.ToProblem(); }

        var query = db.Assertions.AsNoTracking();
        if (badgeClass is not null)
        {
            // The class's row id first (one of this issuer's classes), then ONLY badge_class_id, written into
            // the SQL as a constant: the (badge_class_id, id) index then gives the newest first with nothing
            // to filter. A join on the class's public id, a filter on issuer_id as well (SQLite then walks the
            // issuer's index), or the id as a parameter (PostgreSQL's generic plan, which automatic preparation
            // runs after five executions, cannot know a class is rare) walked the primary key backwards over
            // every assertion: 0.3 to 2.6 s on 1,000,000 assertions for a class with one (issue #14,
            // benchmarks/hot-paths.sh prints the plans). A class's assertions are its issuer's: same scope.
            var classId = !PublicIds.LooksValid(badgeClass) ? null : await db.BadgeClasses.AsNoTracking()
                .Where(b => b.PublicId == badgeClass && b.IssuerId == issuer.Id).Select(b => (long?)b.Id).SingleOrDefaultAsync(ct);
            if (classId is null) { return TypedResults.Ok(new AssertionPage([], null)); }
            query = query.Where(a => a.BadgeClassId == EF.Constant(classId.Value));
        }
        else
        {
            // A constant too: one issuer among many must not be read through a backward walk of every row.
            query = query.Where(a => a.IssuerId == EF.Constant(issuer.Id));
        }
        if (lookup is not null) { query = query.Where(a => a.RecipientLookup == lookup); }
        if (after is not null) { query = query.Where(a => a.Id < after); }
        var rows = await query.OrderByDescending(a => a.Id).Take(size + 1)
            .Select(a => new { Entity = a, BadgeClassId = a.BadgeClass!.PublicId })
            .ToListAsync(ct);
        var items = rows.Take(size).Select(r => AssertionResponse.From(r.Entity, r.BadgeClassId, issuer.PublicId, urls)).ToList();
        var next = rows.Count > size ? Cursors.Encode(rows[size - 1].Entity.Id) : null;
        return TypedResults.Ok(new AssertionPage(items, next));
    }

    public static async Task<Results<Ok<AssertionResponse>, ProblemHttpResult>> Get(
        string assertionId, HttpContext http, BadgesDbContext db, PublicUrls urls, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.Assertion(assertionId, ct);
        if (found is null) { return Problems.NotFound("assertion"); }
        return TypedResults.Ok(AssertionResponse.From(found.Entity, found.BadgeClassId, found.IssuerId, urls));
    }

    public static async Task<Results<Ok<AssertionResponse>, ProblemHttpResult, ValidationProblem>> Revoke(
        string assertionId, RevokeRequest request, HttpContext http, BadgesDbContext db, PublicUrls urls, Issuance.Revocation revocation, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.Assertion(assertionId, ct);
        if (found is null) { return Problems.NotFound("assertion"); }
        var errors = new ValidationErrors();
        errors.Required("reason", request.Reason);
        if (errors.Any) { return errors.ToProblem(); }
        if (found.Entity.RevokedAt is null)
        {
            await revocation.RevokeAsync(found.Entity.IssuerId, [found.Entity.PublicId], request.Reason!, ct);
            // Read back what the revocation wrote (the tracked copy predates it).
            db.ChangeTracker.Clear();
            addressed.Forget();
            found = await addressed.Assertion(assertionId, ct) ?? found;
        }
        return TypedResults.Ok(AssertionResponse.From(found.Entity, found.BadgeClassId, found.IssuerId, urls));
    }

}
