using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// Expiry is a date, not an action: nothing happens at the moment a badge expires. This worker makes
/// it a moment: it finds badges whose <c>expires</c> has passed (not revoked, not yet announced),
/// marks each announced and writes its <c>assertion.expired</c> event in one transaction. The mark is
/// conditioned on "not yet announced", so of several nodes scanning together one announces each badge.
/// In the same transaction it deletes any expiry reminder still held for the badge (a reminder is never
/// sent for an expired badge), so an address kept for a reminder never outlives the badge's expiry.
/// </summary>
public sealed class ExpiryAnnouncer(IServiceScopeFactory scopes, TimeProvider clock, IOptions<EventOptions> options, ILogger<ExpiryAnnouncer> log)
    : BackgroundService
{
    private const int PerRound = 500;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PollingLoop.RunAsync(
        async ct => { while (await AnnounceDueAsync(ct) == PerRound) { } },
        () => options.Value.ExpiryScanInterval,
        e => log.LogWarning(e, "Expired badges could not be announced; retrying at the next scan."),
        stoppingToken);

    /// <summary>One round: up to <see cref="PerRound"/> badges; returns how many were announced.</summary>
    public async Task<int> AnnounceDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.Assertions.AsNoTracking()
            .Where(a => a.ExpiryAnnouncedAt == null && a.Expires != null && a.Expires <= now && a.RevokedAt == null)
            .OrderBy(a => a.Id).Take(PerRound)
            .Select(a => new { a.Id, a.PublicId, a.IssuerId, a.Expires })
            .ToListAsync(ct);
        if (due.Count == 0) { return 0; }
        var events = new List<Data.Entities.OutboxEventEntity>();
        var announced = new List<long>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var a in due)
        {
            var marked = await db.Assertions.Where(x => x.Id == a.Id && x.ExpiryAnnouncedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiryAnnouncedAt, now), ct);
            if (marked == 1)
            {
                announced.Add(a.Id);
                events.Add(Outbox.New(EventTypes.AssertionExpired, a.IssuerId, a.PublicId, new { assertionId = a.PublicId, expires = a.Expires }, now));
            }
        }
        await Outbox.InsertAsync(db, events, ct);
        // A reminder still held for an expired badge is too late: its address goes now (README, Privacy).
        await Mail.ExpiryReminders.ForgetAsync(db, announced, ct);
        await tx.CommitAsync(ct);
        if (events.Count > 0) { log.LogInformation("Announced {Count} expired badge(s).", events.Count); }
        return due.Count;
    }
}
