using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// Something that reacts to domain events (webhooks, award emails). It gets a dispatch round's events,
/// in order, and writes what it needs through <paramref name="db"/>, inside the transaction that marks
/// them dispatched: what it writes exists exactly when the events count as dispatched. It reads what it
/// needs for the whole round at once (a round is up to 200 events: one query, not one per event). It
/// must not call out of the process (send later, from what it wrote). Register it with
/// <c>services.AddScoped&lt;IOutboxConsumer, MyConsumer&gt;()</c>.
/// </summary>
public interface IOutboxConsumer
{
    Task HandleAsync(IReadOnlyList<OutboxEventEntity> events, BadgesDbContext db, CancellationToken ct);
}

/// <summary>
/// Hands each outbox event to every <see cref="IOutboxConsumer"/>, once. A node claims pending events
/// with a lease and a claim token (an atomic conditional update, as batch jobs are claimed); for each,
/// one transaction marks it dispatched, on condition that the node still holds the claim, and saves
/// what the consumers wrote. The mark comes first, so a second node racing for the same event waits
/// on its row and then finds it taken. A node that dies before committing leaves the event to the
/// next claim once the lease has passed; nothing it wrote survives, so nothing is dispatched twice.
/// A round is first tried as one transaction (mark them all, run the consumers, commit): one write
/// per round instead of one per event, which on SQLite's single writer is what keeps awards fast.
/// Only if that fails is the round redone event by event, so one bad event holds up no other.
/// </summary>
public sealed class OutboxDispatcher(
    IServiceScopeFactory scopes, OutboxSignals signals, TimeProvider clock, IOptions<EventOptions> options, ILogger<OutboxDispatcher> log)
    : BackgroundService
{
    private const int PerRound = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await DispatchPendingAsync(stoppingToken) == PerRound) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Not yet migrated, or the database away: the next round tries again. Claimed events wait
                // for their lease; nothing was half-written (each event is one transaction).
                log.LogWarning(e, "Events could not be dispatched; retrying at the next round.");
            }
            try
            {
                // Real time: this paces a poll, it is not a domain instant.
                await Task.Delay(options.Value.DispatchInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One round: claims up to <see cref="PerRound"/> pending events and dispatches those it got; returns how many were pending.</summary>
    public async Task<int> DispatchPendingAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var consumers = scope.ServiceProvider.GetServices<IOutboxConsumer>().ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var pending = await db.OutboxEvents.AsNoTracking()
            .Where(e => e.DispatchedAt == null && (e.LeaseUntil == null || e.LeaseUntil < now))
            .OrderBy(e => e.Id).Take(PerRound).Select(e => e.Id).ToListAsync(ct);
        if (pending.Count == 0) { return 0; }
        if (await DispatchRoundAsync(db, consumers, pending, now, ct) is { } done)
        {
            if (done > 0) { signals.Dispatched(); }
            return pending.Count;
        }

        // The claim repeats the conditions on the rows themselves: PostgreSQL re-checks them on the row
        // version it locks, so of two nodes claiming together only the first one's token stays.
        var token = Guid.NewGuid().ToString("N");
        var lease = now + options.Value.Lease;
        await db.OutboxEvents
            .Where(e => pending.Contains(e.Id) && e.DispatchedAt == null && (e.LeaseUntil == null || e.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseUntil, lease).SetProperty(e => e.ClaimToken, token)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1), ct);
        // By id first: claim_token has no index, and the table keeps every event ever written.
        var claimed = await db.OutboxEvents.AsNoTracking().Where(e => pending.Contains(e.Id) && e.ClaimToken == token && e.DispatchedAt == null)
            .OrderBy(e => e.Id).ToListAsync(ct);
        var dispatched = 0;
        foreach (var outboxEvent in claimed)
        {
            ct.ThrowIfCancellationRequested();
            if (await DispatchAsync(db, consumers, outboxEvent, token, ct)) { dispatched++; }
        }
        if (dispatched > 0) { signals.Dispatched(); }
        return pending.Count;
    }

    /// <summary>
    /// The whole round in one transaction: mark what is still pending (of two nodes, the second waits on
    /// the rows and then finds them dispatched), run the consumers on what this transaction marked,
    /// commit. Null when it failed and was rolled back: the caller goes event by event.
    /// </summary>
    private async Task<int?> DispatchRoundAsync(BadgesDbContext db, List<IOutboxConsumer> consumers, List<long> pending, DateTime now, CancellationToken ct)
    {
        var token = Guid.NewGuid().ToString("N");
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.OutboxEvents
                .Where(e => pending.Contains(e.Id) && e.DispatchedAt == null && (e.LeaseUntil == null || e.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DispatchedAt, now).SetProperty(e => e.ClaimToken, token)
                    .SetProperty(e => e.Attempts, e => e.Attempts + 1), ct);
            // By id first: claim_token has no index, and the table keeps every event ever written.
            var marked = await db.OutboxEvents.AsNoTracking().Where(e => pending.Contains(e.Id) && e.ClaimToken == token).OrderBy(e => e.Id).ToListAsync(ct);
            foreach (var consumer in consumers) { await consumer.HandleAsync(marked, db, ct); }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return marked.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "A round of {Count} events could not be dispatched together; dispatching them one by one.", pending.Count);
            db.ChangeTracker.Clear();
            return null;
        }
    }

    private async Task<bool> DispatchAsync(BadgesDbContext db, List<IOutboxConsumer> consumers, OutboxEventEntity outboxEvent, string token, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var at = clock.GetUtcNow().UtcDateTime;
            var marked = await db.OutboxEvents.Where(e => e.Id == outboxEvent.Id && e.ClaimToken == token && e.DispatchedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DispatchedAt, at).SetProperty(e => e.LeaseUntil, (DateTime?)null), ct);
            if (marked != 1)
            {
                // Our lease ran out and another node claimed it (or dispatched it): leave it to them.
                return false;
            }
            foreach (var consumer in consumers) { await consumer.HandleAsync([outboxEvent], db, ct); }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Rolled back whole: the event stays pending and is claimed again after its lease.
            log.LogWarning(e, "Event {Event} ({Type}) could not be dispatched; it is retried after its lease.", outboxEvent.PublicId, outboxEvent.Type);
            db.ChangeTracker.Clear();
            return false;
        }
    }
}

/// <summary>
/// Tells this node's workers that events were dispatched (or a mail queued), so what the consumers wrote
/// (webhook deliveries, award mails) is picked up now rather than at the next poll. A hint only: the
/// polls remain the rule. Each worker has its own signal, so one waking does not take another's.
/// </summary>
public sealed class OutboxSignals
{
    private readonly Channel<bool> _dispatched =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Channel<bool> _mail =
        Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Dispatched()
    {
        _dispatched.Writer.TryWrite(true);
        _mail.Writer.TryWrite(true);
    }

    /// <summary>A mail was queued outside the outbox (a resend).</summary>
    public void MailQueued() => _mail.Writer.TryWrite(true);

    /// <summary>Waits for a signal or for <paramref name="timeout"/>, whichever comes first.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => WaitAsync(_dispatched, timeout, ct);

    /// <summary>As <see cref="WaitAsync(TimeSpan, CancellationToken)"/>, for the mail worker.</summary>
    public Task WaitForMailAsync(TimeSpan timeout, CancellationToken ct) => WaitAsync(_mail, timeout, ct);

    private static async Task WaitAsync(Channel<bool> signal, TimeSpan timeout, CancellationToken ct)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(ct);
        poll.CancelAfter(timeout);
        try
        {
            await signal.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // The poll interval passed.
        }
    }
}
