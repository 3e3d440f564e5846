using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Mail;

/// <summary>
/// Turns due expiry reminders into mails. Every <see cref="EventOptions.ExpiryScanInterval"/> it finds
/// reminders whose day has come and, in one transaction per round, deletes each reminder row on
/// condition that it is still there and queues its mail (an <c>award_mails</c> row of kind
/// <see cref="MailKinds.ExpiryReminder"/>, with the address moved into it): of several nodes scanning
/// together, only the one whose delete took the row queues the mail, and a crash before the commit
/// leaves both the row and no mail. A reminder for a revoked or already expired badge, or of an issuer
/// that turned reminders off, is deleted without a mail. Sending is the mail worker's
/// (<see cref="MailDeliveryWorker"/>). Without Mail:Host it does not run: the rows wait, at most until
/// their badge expires (<see cref="Issuance.ExpiryAnnouncer"/> deletes them then).
/// </summary>
public sealed class ExpiryReminderWorker(
    IServiceScopeFactory scopes, Issuance.OutboxSignals signals, PublicUrls urls, TimeProvider clock,
    IOptions<EventOptions> events, IOptions<MailOptions> mail, ILogger<ExpiryReminderWorker> log) : BackgroundService
{
    private const int PerRound = 200;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => !mail.Value.Enabled ? Task.CompletedTask : PollingLoop.RunAsync(
        async ct => { while (await QueueDueAsync(ct) == PerRound) { } },
        () => events.Value.ExpiryScanInterval,
        e => log.LogWarning(e, "Expiry reminders could not be queued; retrying at the next scan."),
        stoppingToken);

    /// <summary>One round: up to <see cref="PerRound"/> due reminders; returns how many were due.</summary>
    public async Task<int> QueueDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await (
            from r in db.ExpiryReminders.AsNoTracking()
            where r.DueAt <= now
            join a in db.Assertions.AsNoTracking() on r.AssertionId equals a.Id
            join i in db.Issuers.AsNoTracking() on a.IssuerId equals i.Id
            orderby r.DueAt, r.AssertionId
            select new { r.AssertionId, r.Address, r.Locale, a.IssuerId, Revoked = a.RevokedAt != null, a.Expires, i.ExpiryReminderDays })
            .Take(PerRound).ToListAsync(ct);
        if (due.Count == 0) { return 0; }
        var (queued, dropped) = (0, 0);
        var host = new Uri(urls.Base).Host;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var r in due)
            {
                // The delete is the claim: a second node's waits on the row, then deletes nothing and moves on.
                var taken = await db.ExpiryReminders.Where(x => x.AssertionId == r.AssertionId).ExecuteDeleteAsync(ct);
                if (taken != 1) { continue; }
                if (r.Revoked || r.Expires is null || r.Expires <= now || r.ExpiryReminderDays <= 0)
                {
                    dropped++;
                    continue;
                }
                db.AwardMails.Add(MailQueue.NewMail(r.AssertionId, r.IssuerId, null, r.Address, r.Locale, host, now, MailKinds.ExpiryReminder));
                queued++;
            }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (queued > 0)
        {
            signals.MailQueued();
            log.LogInformation("Queued {Count} expiry reminder(s).", queued);
        }
        if (dropped > 0) { log.LogInformation("Dropped {Count} expiry reminder(s) of revoked or expired badges, or of issuers without reminders.", dropped); }
        return due.Count;
    }
}
