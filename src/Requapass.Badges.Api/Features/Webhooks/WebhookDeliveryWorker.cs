using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Webhooks;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Webhooks;

/// <summary>
/// Sends due deliveries. A node claims them with a lease and a claim token (an atomic conditional
/// update), sends each through the SSRF guard, signed, and records the result on condition that it
/// still holds the claim. 2xx: succeeded. A refusal by the SSRF rules: failed at once (retrying
/// changes nothing). Anything else: retried after the next wait of the schedule, with jitter, until
/// the schedule runs out: failed. A node that dies mid-send leaves the delivery to the next claim
/// after the lease, so delivery is at least once; receivers dedupe on webhook-id.
/// </summary>
public sealed class WebhookDeliveryWorker(
    IServiceScopeFactory scopes, Issuance.OutboxSignals signals, GuardedSender sender, WebhookSecrets secrets, TimeProvider clock, IOptions<WebhookOptions> options,
    Telemetry.BadgeMetrics metrics, ILogger<WebhookDeliveryWorker> log) : BackgroundService
{
    private const int PerRound = 100;

    private sealed record Claimed(long Id, int Attempts, string EndpointPublicId, string Url, string SecretCipher, bool Active,
        string EventId, string Type, DateTime CreatedAt, string PayloadJson);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DeliverDueAsync(stoppingToken) == PerRound) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not yet migrated, or the database away: claimed deliveries wait for their lease.
                log.LogWarning(e, "Webhook deliveries could not be sent; retrying at the next round.");
            }
            try
            {
                // Woken early when this node dispatched events (new deliveries may be due now).
                await signals.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: claims up to <see cref="PerRound"/> due deliveries and sends them; returns how many were due.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        var settings = options.Value;
        List<Claimed> claimed;
        int due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            var ids = await db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(PerRound).Select(d => d.Id).ToListAsync(ct);
            if (ids.Count == 0) { return 0; }
            due = ids.Count;
            var token = Guid.NewGuid().ToString("N");
            var lease = now + settings.Lease;
            await db.WebhookDeliveries
                .Where(d => ids.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, lease).SetProperty(d => d.ClaimToken, token), ct);
            claimed = await (
                from d in db.WebhookDeliveries
                // By id first: claim_token has no index, and the table keeps every delivery ever made.
                where ids.Contains(d.Id) && d.ClaimToken == token && d.Status == DeliveryStatus.Pending
                join w in db.WebhookEndpoints on d.EndpointId equals w.Id
                join e in db.OutboxEvents on d.EventId equals e.Id
                orderby d.Id
                select new Claimed(d.Id, d.Attempts, w.PublicId, w.Url, w.SecretCipher, w.Active, e.PublicId, e.Type, e.CreatedAt, e.PayloadJson))
                .AsNoTracking().ToListAsync(ct);
            if (claimed.Count == 0) { return due; }
            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = settings.Concurrency, CancellationToken = ct },
                async (delivery, token2) => await DeliverAsync(delivery, token, settings, token2));
        }
        return due;
    }

    private async Task DeliverAsync(Claimed delivery, string token, WebhookOptions settings, CancellationToken ct)
    {
        var (status, code, error) = await SendAsync(delivery, ct);
        var attempts = delivery.Attempts + 1;
        var now = clock.GetUtcNow().UtcDateTime;
        var next = now;
        if (status == DeliveryStatus.Pending)
        {
            var schedule = settings.Schedule;
            if (attempts > schedule.Count)
            {
                (status, error) = (DeliveryStatus.Failed, $"Gave up after {attempts} attempts. Last: {error}");
            }
            else
            {
                // Jitter (up to 20% either way) keeps the retries of many deliveries from arriving together.
                next = now + schedule[attempts - 1] * (0.8 + 0.4 * Random.Shared.NextDouble());
            }
        }
        DateTime? completed = status == DeliveryStatus.Pending ? null : now;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var recorded = await db.WebhookDeliveries.Where(d => d.Id == delivery.Id && d.ClaimToken == token && d.Status == DeliveryStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, status).SetProperty(d => d.Attempts, attempts).SetProperty(d => d.NextAttemptAt, next)
                .SetProperty(d => d.LastStatusCode, code).SetProperty(d => d.LastError, error).SetProperty(d => d.LeaseUntil, (DateTime?)null)
                .SetProperty(d => d.ClaimToken, (string?)null).SetProperty(d => d.UpdatedAt, now).SetProperty(d => d.CompletedAt, completed), CancellationToken.None);
        // Every attempt counts, by event type and outcome: succeeded, failed (given up or refused), retrying.
        metrics.WebhookDelivery(delivery.Type, status == DeliveryStatus.Pending ? "retrying" : status);
        if (recorded == 0) { log.LogWarning("Webhook delivery {Delivery}: the claim was lost before its result was recorded.", delivery.Id); }
        else if (status == DeliveryStatus.Failed) { log.LogWarning("Webhook delivery of {Event} to endpoint {Endpoint} failed: {Error}", delivery.EventId, delivery.EndpointPublicId, error); }
    }

    /// <summary>One attempt: the new status (pending means "retry"), the answer's status code, and the error, if any.</summary>
    private async Task<(string Status, int? Code, string? Error)> SendAsync(Claimed delivery, CancellationToken ct)
    {
        if (!delivery.Active) { return (DeliveryStatus.Failed, null, "The endpoint was disabled."); }
        if (secrets.Open(delivery.SecretCipher, delivery.EndpointPublicId) is not { } secret)
        {
            return (DeliveryStatus.Failed, null, "The endpoint's secret cannot be read with this Auth:SigningKey; register the endpoint again.");
        }
        var body = Body(delivery);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var headers = new Dictionary<string, string>
        {
            ["webhook-id"] = delivery.EventId,
            ["webhook-timestamp"] = timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = WebhookSignature.Sign(secret, delivery.EventId, timestamp, body),
        };
        var result = await sender.PostJsonAsync(new Uri(delivery.Url), body, headers, ct);
        if (result.Succeeded) { return (DeliveryStatus.Succeeded, result.StatusCode, null); }
        var error = result.Excerpt is { Length: > 0 } excerpt ? $"{result.Message} {excerpt}" : result.Message;
        return (result.Outcome == SendOutcome.Refused ? DeliveryStatus.Failed : DeliveryStatus.Pending, result.StatusCode, error);
    }

    /// <summary>{ id, type, timestamp, data }: the event's id, type, when it happened, and its data as the events feed shows it.</summary>
    private static byte[] Body(Claimed delivery)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", delivery.EventId);
            json.WriteString("type", delivery.Type);
            json.WriteString("timestamp", DateTime.SpecifyKind(delivery.CreatedAt, DateTimeKind.Utc));
            json.WritePropertyName("data");
            json.WriteRawValue(delivery.PayloadJson);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
