using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Events;

/// <summary>A domain event as an integrator reads it: its id, type, what it is about, when, and its data.</summary>
public sealed record EventResponse(string Id, string Type, string Subject, DateTime CreatedAt, JsonElement Data);

/// <summary><c>nextCursor</c> is where to go on: pass it as <c>cursor</c> for the next page, and later for what came since (an empty page gives back the cursor it was asked with).</summary>
public sealed record EventPage(IReadOnlyList<EventResponse> Items, string? NextCursor);

/// <summary>
/// The issuer's events, oldest first, from the outbox: a feed an integrator polls with the cursor of
/// its last page to learn what was awarded, revoked or expired since (an event is in the feed exactly
/// when its change is committed).
/// </summary>
public static class EventsApi
{
    public static RouteGroupBuilder MapEventEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Events")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/issuers/{issuerId}/events", List).WithName("ListEvents")
            .WithSummary("The issuer's events (assertion.awarded, assertion.revoked, assertion.expired, batch.completed), oldest first.")
            .WithDescription("Pass the nextCursor of the previous page as cursor to get what came after it; type filters one kind. "
                + "An event is listed exactly when the change it announces is committed, and its id never changes.");
        return group;
    }

    public static async Task<Results<Ok<EventPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? cursor, string? type, int? limit, HttpContext http, BadgesDbContext db, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        var size = limit ?? 100;
        if (size is < 1 or > 500) { errors.Add("limit", "limit must be between 1 and 500."); }
        long? after = null;
        if (cursor is not null && (after = Cursors.Decode(cursor)) is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        if (type is not null && !EventTypes.All.Contains(type)) { errors.Add("type", $"type must be one of {string.Join(", ", EventTypes.All)}."); }
        if (errors.Any) { return errors.ToProblem(); }

        var query = db.OutboxEvents.AsNoTracking().Where(e => e.IssuerId == issuer.Id);
        if (after is not null) { query = query.Where(e => e.Id > after); }
        if (type is not null) { query = query.Where(e => e.Type == type); }
        var rows = await query.OrderBy(e => e.Id).Take(size)
            .Select(e => new { e.Id, e.PublicId, e.Type, e.Subject, e.CreatedAt, e.PayloadJson }).ToListAsync(ct);
        var items = rows.Select(e => new EventResponse(e.PublicId, e.Type, e.Subject, e.CreatedAt, JsonDocument.Parse(e.PayloadJson).RootElement)).ToList();
        // The cursor always moves to the last event seen, so a poller keeps its place even on an empty page.
        var next = rows.Count > 0 ? Cursors.Encode(rows[^1].Id) : cursor;
        return TypedResults.Ok(new EventPage(items, next));
    }
}
