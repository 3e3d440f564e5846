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
    public async Task HandleAsync(IReadOnlyList<OutboxEventEntity> events, BadgesDbContext db, CancellationToken ct)
    {
        // The active endpoints of the round's issuers, read once, inside the round's transaction.
        var issuers = events.Select(e => e.IssuerId).Distinct().ToList();
        var endpoints = (await db.WebhookEndpoints.AsNoTracking()
                .Where(w => issuers.Contains(w.IssuerId) && w.Active)
                .Select(w => new { w.Id, w.IssuerId, w.EventTypes }).ToListAsync(ct))
            .ToLookup(w => w.IssuerId, w => (w.Id, Types: WebhookEvents.Parse(w.EventTypes)));
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var outboxEvent in events)
        {
            foreach (var endpoint in endpoints[outboxEvent.IssuerId].Where(w => w.Types.Contains(outboxEvent.Type)))
            {
                db.WebhookDeliveries.Add(new WebhookDeliveryEntity
                {
                    PublicId = PublicIds.New(), EndpointId = endpoint.Id, EventId = outboxEvent.Id, Status = DeliveryStatus.Pending,
                    Attempts = 0, NextAttemptAt = now, CreatedAt = now, UpdatedAt = now,
                });
            }
        }
    }
}

/// <summary>An endpoint's event types, stored space-separated.</summary>
public static class WebhookEvents
{
    public static string[] Parse(string stored) => stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public static string Store(IEnumerable<string> types) => string.Join(' ', types.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
