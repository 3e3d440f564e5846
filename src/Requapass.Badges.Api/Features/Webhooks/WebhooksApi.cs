using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Webhooks;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Webhooks;

/// <summary>
/// An issuer's webhooks: its staff register endpoints (the secret is shown once), list and disable
/// them, and read and redeliver their deliveries. Another issuer's staff get 403, as for every
/// issuer-scoped route; a webhook or delivery id that is not under the issuer in the URL is 404.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhookEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/issuers/{issuerId}/webhooks").WithTags("Webhooks")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).WithName("CreateWebhook")
            .WithSummary("Register an endpoint for some of the issuer's events. The signing secret is in this response only.")
            .WithDescription("Each delivery is a POST of {id, type, timestamp, data} with the headers webhook-id, webhook-timestamp and "
                + "webhook-signature (v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\"> keyed with the base64-decoded part of the secret after whsec_). "
                + "Non-2xx answers and timeouts are retried for about a day. At most Webhooks:MaxEndpointsPerIssuer (10) active endpoints.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/", List).WithName("ListWebhooks").WithSummary("The issuer's endpoints, active and disabled (never their secrets).");
        group.MapDelete("/{webhookId}", Disable).WithName("DisableWebhook")
            .WithSummary("Disable an endpoint: nothing more is sent to it, its pending deliveries are failed; its history stays listed.");
        group.MapGet("/{webhookId}/deliveries", Deliveries).WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's deliveries, newest first (at most limit, default 50, up to 200).");
        group.MapPost("/{webhookId}/deliveries/{deliveryId}/redeliver", Redeliver).WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again now, with a fresh retry schedule (a pending one is just made due now).");
        return group;
    }

    public static async Task<Results<Created<CreatedWebhookResponse>, ProblemHttpResult, ValidationProblem>> Create(
        string issuerId, WebhookRequest request, HttpContext http, BadgesDbContext db, WebhookSecrets secrets, IOptions<WebhookOptions> options,
        TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        errors.HttpUrl("url", request.Url);
        if (request.Events is not { Count: > 0 }) { errors.Add("events", "events must name at least one event type."); }
        foreach (var type in request.Events ?? [])
        {
            if (!EventTypes.All.Contains(type)) { errors.Add("events", $"{type} is not an event type; use {string.Join(", ", EventTypes.All)}."); }
        }
        if (errors.Any) { return errors.ToProblem(); }
        var max = options.Value.MaxEndpointsPerIssuer;
        if (await db.WebhookEndpoints.CountAsync(w => w.IssuerId == issuer.Id && w.Active, ct) >= max)
        {
            return Problems.Conflict("too-many-webhooks", $"An issuer may have at most {max} active webhook endpoints; disable one first.");
        }
        var secret = WebhookSignature.NewSecret();
        var publicId = PublicIds.New();
        var endpoint = new WebhookEndpointEntity
        {
            PublicId = publicId, IssuerId = issuer.Id, Url = request.Url!.Trim(), EventTypes = WebhookEvents.Store(request.Events!),
            SecretCipher = secrets.Seal(secret, publicId), Active = true, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookEndpoints.Add(endpoint);
        audit.Record(Audit.AuditAction.WebhookCreated, new(Audit.AuditTargets.Webhook, publicId, issuer.Id));
        await db.SaveChangesAsync(ct);
        var shown = WebhookResponse.From(endpoint);
        return TypedResults.Created($"/api/v1/issuers/{issuer.PublicId}/webhooks/{publicId}",
            new CreatedWebhookResponse(shown.Id, shown.Url, shown.Events, shown.Active, shown.CreatedAt, secret));
    }

    public static async Task<Results<Ok<WebhookResponse[]>, ProblemHttpResult>> List(string issuerId, HttpContext http, BadgesDbContext db, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var endpoints = await db.WebhookEndpoints.AsNoTracking().Where(w => w.IssuerId == issuer.Id).OrderBy(w => w.Id).ToListAsync(ct);
        return TypedResults.Ok(endpoints.Select(WebhookResponse.From).ToArray());
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> Disable(
        string issuerId, string webhookId, HttpContext http, BadgesDbContext db, TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var (endpoint, problem) = await FindAsync(db, http, issuerId, webhookId, ct);
        if (endpoint is null) { return problem!; }
        var now = clock.GetUtcNow().UtcDateTime;
        if (endpoint.Active)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            (endpoint.Active, endpoint.DisabledAt) = (false, now);
            audit.Record(Audit.AuditAction.WebhookDisabled, new(Audit.AuditTargets.Webhook, endpoint.PublicId, endpoint.IssuerId));
            await db.SaveChangesAsync(ct);
            await db.WebhookDeliveries.Where(d => d.EndpointId == endpoint.Id && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DeliveryStatus.Failed).SetProperty(d => d.LastError, "The endpoint was disabled.")
                    .SetProperty(d => d.UpdatedAt, now).SetProperty(d => d.CompletedAt, now).SetProperty(d => d.ClaimToken, (string?)null), ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(WebhookResponse.From(endpoint));
    }

    public static async Task<Results<Ok<DeliveryResponse[]>, ProblemHttpResult, ValidationProblem>> Deliveries(
        string issuerId, string webhookId, int? limit, HttpContext http, BadgesDbContext db, CancellationToken ct)
    {
        var (endpoint, problem) = await FindAsync(db, http, issuerId, webhookId, ct);
        if (endpoint is null) { return problem!; }
        var size = limit ?? 50;
        if (size is < 1 or > 200) { return Problems.Invalid("limit", "limit must be between 1 and 200."); }
        var rows = await Query(db, d => d.EndpointId == endpoint.Id).Take(size).ToArrayAsync(ct);
        return TypedResults.Ok(rows);
    }

    public static async Task<Results<Accepted<DeliveryResponse>, ProblemHttpResult>> Redeliver(
        string issuerId, string webhookId, string deliveryId, HttpContext http, BadgesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (endpoint, problem) = await FindAsync(db, http, issuerId, webhookId, ct);
        if (endpoint is null) { return problem!; }
        if (!endpoint.Active) { return Problems.Conflict("webhook-disabled", "This endpoint is disabled; nothing is sent to it."); }
        var now = clock.GetUtcNow().UtcDateTime;
        // The answer is the delivery as this request left it (pending, due now): read in the update's
        // transaction, before the worker, which claims by updating the same row, can take it.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var changed = await db.WebhookDeliveries.Where(d => d.PublicId == deliveryId && d.EndpointId == endpoint.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Attempts, d => d.Status == DeliveryStatus.Pending ? d.Attempts : 0)
                .SetProperty(d => d.Status, DeliveryStatus.Pending).SetProperty(d => d.NextAttemptAt, now)
                .SetProperty(d => d.UpdatedAt, now).SetProperty(d => d.CompletedAt, (DateTime?)null), ct);
        if (changed == 0) { return Problems.NotFound("delivery"); }
        var row = await Query(db, d => d.PublicId == deliveryId).SingleAsync(ct);
        await tx.CommitAsync(ct);
        return TypedResults.Accepted($"/api/v1/issuers/{issuerId}/webhooks/{webhookId}/deliveries", row);
    }

    /// <summary>The deliveries that match, newest first, with their event's id and type.</summary>
    private static IQueryable<DeliveryResponse> Query(BadgesDbContext db, System.Linq.Expressions.Expression<Func<WebhookDeliveryEntity, bool>> filter) =>
        db.WebhookDeliveries.AsNoTracking().Where(filter)
            .Join(db.OutboxEvents, d => d.EventId, e => e.Id, (d, e) => new { d, e })
            .OrderByDescending(x => x.d.Id)
            .Select(x => new DeliveryResponse(x.d.PublicId, x.e.PublicId, x.e.Type, x.d.Status, x.d.Attempts, x.d.NextAttemptAt,
                x.d.LastStatusCode, x.d.LastError, x.d.CreatedAt, x.d.UpdatedAt, x.d.CompletedAt));

    /// <summary>The issuer (404 if none; the scope filter has checked it is the caller's), then its endpoint (404 if not under this issuer).</summary>
    private static async Task<(WebhookEndpointEntity? Endpoint, ProblemHttpResult? Problem)> FindAsync(
        BadgesDbContext db, HttpContext http, string issuerId, string webhookId, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return (null, Problems.NotFound("issuer")); }
        var endpoint = PublicIds.LooksValid(webhookId)
            ? await db.WebhookEndpoints.SingleOrDefaultAsync(w => w.PublicId == webhookId && w.IssuerId == issuer.Id, ct)
            : null;
        return endpoint is null ? (null, Problems.NotFound("webhook")) : (endpoint, null);
    }
}
