using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Audit;

/// <summary>One audited staff action: who (the API client, its name when it still exists, its role), what, to what, for which issuer, when.</summary>
public sealed record AuditEntryResponse(
    string Id, DateTime At, string Action, string ActorClientId, string? ActorName, string ActorRole, string TargetType, string TargetId, string? IssuerId);

/// <summary><c>nextCursor</c>: pass it as <c>cursor</c> for the older entries; null on the last page.</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Items, string? NextCursor);

/// <summary>The audit of staff actions, for platform admins only (staff get 403).</summary>
public static class AuditApi
{
    public const int DefaultPage = 100;
    public const int MaxPage = 500;

    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/audit").WithTags("Audit").RequireAuthorization(AuthSetup.AdminOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/", List).WithName("ListAuditEntries")
            .WithSummary("The audit of staff actions, newest first (platform admins).")
            .WithDescription($"Filters: issuerId (an issuer's public id), action ({string.Join(", ", AuditActions.All)}), "
                + $"from and to (instants, from inclusive, to exclusive). limit: 1 to {MaxPage}, {DefaultPage} by default; "
                + "pass nextCursor as cursor for the older entries.");
        return group;
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult, ValidationProblem>> List(
        string? issuerId, string? action, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
        BadgesDbContext db, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var size = limit ?? DefaultPage;
        if (size is < 1 or > MaxPage) { errors.Add("limit", $"limit must be between 1 and {MaxPage}."); }
        long? before = null;
        if (cursor is not null && (before = Cursors.Decode(cursor)) is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        if (action is not null && AuditActions.Parse(action) is null) { errors.Add("action", $"action must be one of {string.Join(", ", AuditActions.All)}."); }
        if (issuerId is { Length: > Limits.Id }) { errors.Add("issuerId", $"issuerId must be at most {Limits.Id} characters."); }
        if (from is not null && to is not null && from >= to) { errors.Add("to", "to must be later than from."); }
        if (errors.Any) { return errors.ToProblem(); }

        var query = db.AuditEntries.AsNoTracking();
        if (issuerId is not null)
        {
            var issuer = await Find.Issuer(db, issuerId, ct);
            if (issuer is null) { return Problems.NotFound("issuer"); }
            query = query.Where(e => e.IssuerId == issuer.Id);
        }
        if (action is not null) { query = query.Where(e => e.Action == action); }
        if (from is not null) { var f = from.Value.UtcDateTime; query = query.Where(e => e.CreatedAt >= f); }
        if (to is not null) { var t = to.Value.UtcDateTime; query = query.Where(e => e.CreatedAt < t); }
        if (before is not null) { query = query.Where(e => e.Id < before); }
        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1)
            .Select(e => new
            {
                e.Id, Entry = new AuditEntryResponse(e.PublicId, e.CreatedAt, e.Action, e.ActorClientId,
                    db.ApiClients.Where(c => c.ClientId == e.ActorClientId).Select(c => c.Name).FirstOrDefault(), e.ActorRole, e.TargetType, e.TargetId,
                    db.Issuers.Where(i => i.Id == e.IssuerId).Select(i => i.PublicId).FirstOrDefault()),
            })
            .ToListAsync(ct);
        var page = rows.Take(size).ToList();
        return TypedResults.Ok(new AuditPage([.. page.Select(r => r.Entry)], rows.Count > size ? Cursors.Encode(page[^1].Id) : null));
    }
}
