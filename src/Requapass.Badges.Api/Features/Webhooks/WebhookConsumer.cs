using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Webhooks;

/// <summary>pending (to send, or to retry), succeeded (a 2xx), failed (refused by the SSRF rules, or the schedule ran out).</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>
/// The outbox's webhook consumer: one pending delivery for each active endpoint of the event's issuer
/// that asked for its type. Sending happens later, in <see cref="WebhookDeliveryWorker"/>: a consumer
/// only writes, inside the dispatch transaction.
/// </summary>
public sealed class WebhookConsumer(TimeProvider clock) : IOutboxConsumer
{
    // Scoped: one dispatch round. An issuer's endpoints are read once per round, not once per event
    // (a batch's events all belong to one issuer), inside the round's transaction.
    private readonly Dictionary<long, List<(long Id, string[] Types)>> _endpoints = [];

    public async Task HandleAsync(OutboxEventEntity outboxEvent, BadgesDbContext db, CancellationToken ct)
    {
        if (!_endpoints.TryGetValue(outboxEvent.IssuerId, out var endpoints))
        {
            endpoints = [.. (await db.WebhookEndpoints.AsNoTracking()
                .Where(w => w.IssuerId == outboxEvent.IssuerId && w.Active)
                .Select(w => new { w.Id, w.EventTypes }).ToListAsync(ct)).Select(w => (w.Id, WebhookEvents.Parse(w.EventTypes)))];
            _endpoints[outboxEvent.IssuerId] = endpoints;
        }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var endpoint in endpoints.Where(w => w.Types.Contains(outboxEvent.Type)))
        {
            db.WebhookDeliveries.Add(new WebhookDeliveryEntity
            {
                PublicId = PublicIds.New(), EndpointId = endpoint.Id, EventId = outboxEvent.Id, Status = DeliveryStatus.Pending,
                Attempts = 0, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
            });
        }
    }
}

/// <summary>An endpoint's event types, stored space-separated.</summary>
public static class WebhookEvents
{
    public static string[] Parse(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Store(IEnumerable<string> types) => string.Join(' ', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
