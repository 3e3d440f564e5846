using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Requapass.Badges.Api.Features.Assertions;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Features.Batches;

/// <summary>
/// Awards a stored batch job's rows, chunk by chunk. A node first claims the job (an atomic update
/// that only succeeds when the job is queued, or running with an expired lease), so two nodes never
/// work on the same job. Each chunk's assertions, the rows' link to them and the job's progress are
/// committed in one transaction: after a crash the next claim starts at the first row without an
/// assertion, so no row is lost and none is awarded twice. Signed chunks sign on every core.
/// A transient database fault (<see cref="TransientFaults"/>) never fails a job: the node retries in
/// place with backoff, then leaves the job to its lease. Only a permanent fault marks it failed.
/// </summary>
public sealed class BatchProcessor(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<BatchOptions> options, IOptions<MailOptions> mail, BadgeMetrics metrics, ILogger<BatchProcessor> log)
{
    public static readonly JsonSerializerOptions RowJson = new(JsonSerializerDefaults.Web) { Converters = { new StrictDateConverter() } };
    private readonly Channel<long> _wake = Channel.CreateBounded<long>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropOldest });

    /// <summary>Asks the worker to look at a job now rather than at its next poll.</summary>
    public void Wake(long jobId) => _wake.Writer.TryWrite(jobId);

    internal ChannelReader<long> Woken => _wake.Reader;

    /// <summary>Claims and runs a job to its end; false when another node holds it, it is finished, or the database stayed away.</summary>
    public Task<bool> RunAsync(long jobId, CancellationToken ct) => RunAsync(jobId, held: false, ct);

    /// <summary>
    /// As <see cref="RunAsync(long, CancellationToken)"/>; <paramref name="held"/> says this node already
    /// holds the job's lease (the request stored it claimed), so it is run although its lease is current.
    /// </summary>
    public async Task<bool> RunAsync(long jobId, bool held, CancellationToken ct)
    {
        var run = new RunState { Held = held };
        var faults = 0;
        while (true)
        {
            try
            {
                return await RunOnceAsync(jobId, run, ct);
            }
            catch (Exception e) when (TransientFaults.IsTransient(e) && !ct.IsCancellationRequested)
            {
                // A lost connection, a deadlock, a restarting server: nothing is wrong with the job. What was
                // committed stays; the next attempt reads the job's progress again and goes on from there.
                if (run.Progressed) { (faults, run.Progressed) = (0, false); }
                if (faults >= Backoff.Length)
                {
                    log.LogWarning(e, "Batch job {Job}: the database stayed unavailable; the job is left to the next poll or another node.", jobId);
                    if (run.Held) { await ReleaseAsync(jobId); }
                    return false;
                }
                log.LogWarning(e, "Batch job {Job}: transient database fault; retrying in {Delay} ms.", jobId, Backoff[faults].TotalMilliseconds);
                // Real time, not the injected clock: this waits for a server, not for a domain instant.
                await Task.Delay(Backoff[faults++], ct);
            }
        }
    }

    /// <summary>Waits between in-place retries after transient faults (about 8 s in all, far below the lease).</summary>
    private static readonly TimeSpan[] Backoff = [.. new[] { 100, 250, 500, 1000, 2000, 4000 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

    /// <summary>What one attempt leaves for the next: whether this node holds the job, and whether it moved on.</summary>
    private sealed class RunState
    {
        public bool Held { get; set; }
        public bool Progressed { get; set; }
    }

    private async Task<bool> RunOnceAsync(long jobId, RunState run, CancellationToken ct)
    {
        var settings = options.Value;
        // A job runs outside any request: its own span, so its SQL and signing show up in one trace.
        using var span = BadgeMetrics.Tracing.StartActivity("batch.job");
        span?.SetTag("requapass.batch.job", jobId);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        try
        {
            return await AwardAsync(scope.ServiceProvider, db, jobId, run, settings, ct);
        }
        catch (Exception e) when (TransientFaults.IsTransient(e) && db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            // The server dropped this connection; the idle ones in the pool most likely went with it.
            NpgsqlConnection.ClearPool(connection);
            throw;
        }
    }

    private async Task<bool> AwardAsync(IServiceProvider services, BadgesDbContext db, long jobId, RunState run, BatchOptions settings, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var held = run.Held;
        var claimed = await db.BatchJobs
            .Where(j => j.Id == jobId && (j.Status == BatchStatus.Queued
                || (j.Status == BatchStatus.Running && (held || j.LeaseUntil == null || j.LeaseUntil < now))))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, BatchStatus.Running).SetProperty(j => j.LeaseUntil, now + settings.Lease).SetProperty(j => j.UpdatedAt, now), ct);
        if (claimed == 0) { return false; }
        run.Held = true;
        var job = await db.BatchJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
        try
        {
            var badgeClass = await db.BadgeClasses.AsNoTracking().Where(b => b.Id == job.BadgeClassId)
                .Select(b => new { b.Id, b.PublicId, b.IssuerId, IssuerPublicId = b.Issuer!.PublicId, b.Issuer.DefaultVerification, b.Issuer.NotifyRecipients, b.Issuer.DefaultLocale, b.Issuer.ExpiryReminderDays })
                .SingleAsync(ct);
            var rows = JsonSerializer.Deserialize<List<BatchRow>>(job.RowsJson, RowJson)!;
            var next = job.NextRow;
            var keys = services.GetRequiredService<IssuerKeys>();
            var documents = services.GetRequiredService<ObDocuments>();
            var urls = services.GetRequiredService<PublicUrls>();
            while (next < rows.Count)
            {
                var chunk = rows.Skip(next).Take(settings.ChunkSize).ToList();
                // Rows were validated when the job was stored; checked again against the job's own time,
                // so the result cannot depend on when a resumed job runs.
                var awards = chunk.Select(r => AwardValidation.Check(r.Request, job.CreatedAt, new ValidationErrors())!).ToList();
                var assertions = awards.Select(a => Awarding.NewAssertion(a, badgeClass.Id, badgeClass.IssuerId, job.CreatedAt)).ToList();
                for (var i = 0; i < chunk.Count; i++) { (assertions[i].BatchJobId, assertions[i].BatchLine) = (job.Id, chunk[i].Line); }
                var signed = Enumerable.Range(0, awards.Count).Where(i => (awards[i].Verification ?? badgeClass.DefaultVerification) == VerificationType.Signed).ToList();
                if (signed.Count > 0)
                {
                    var (keyRow, key) = await keys.CurrentAsync(badgeClass.IssuerId, badgeClass.IssuerPublicId, ct);
                    if (key is null)
                    {
                        await FailAsync(db, jobId, "The issuer's current signing key is not loaded in this service.", ct);
                        return true;
                    }
                    // The costly step: RSA signatures, on every core (each thread has its own RSA instance).
                    Parallel.ForEach(signed, new ParallelOptions { CancellationToken = ct },
                        i => Awarding.Sign(assertions[i], keyRow, key, badgeClass.PublicId, documents));
                }
                var at = clock.GetUtcNow().UtcDateTime;
                await using (var tx = await db.Database.BeginTransactionAsync(ct))
                {
                    await AssertionInserts.InsertAsync(db, assertions, ct);
                    await Outbox.InsertAsync(db, [.. assertions.Select(a => Awarding.AwardedEvent(a, badgeClass.PublicId, badgeClass.IssuerPublicId, urls, job.PublicId))], ct);
                    // The addresses for the award emails, in the same transaction as the assertions (README, Award emails).
                    var wanted = Enumerable.Range(0, awards.Count)
                        .Select(i => (Assertion: assertions[i].PublicId, Award: awards[i], Wanted: Mail.MailQueue.Wanted(awards[i], mail.Value.Enabled, badgeClass.NotifyRecipients, badgeClass.DefaultLocale)))
                        .ToList();
                    var mails = wanted.Where(m => m.Wanted is not null).Select(m => (m.Assertion, m.Wanted!.Value.Address, m.Wanted.Value.Locale)).ToList();
                    await Mail.MailQueue.InsertRequestsAsync(db, mails, at, ct);
                    // And for their reminders before the badges expire (README, Expiry reminders).
                    var reminders = wanted.Select(m => (m.Assertion, Reminder: Mail.ExpiryReminders.Wanted(m.Award, m.Wanted, badgeClass.ExpiryReminderDays, at)))
                        .Where(m => m.Reminder is not null).Select(m => (m.Assertion, m.Reminder!)).ToList();
                    await Mail.ExpiryReminders.InsertAsync(db, reminders, at, ct);
                    // The progress check is what guarantees no row is awarded twice: a chunk commits only if
                    // no one (another node, or an earlier attempt whose commit did land) moved the job on.
                    var moved = await db.BatchJobs.Where(j => j.Id == jobId && j.Status == BatchStatus.Running && j.NextRow == next)
                        .ExecuteUpdateAsync(s => s.SetProperty(j => j.NextRow, next + chunk.Count).SetProperty(j => j.UpdatedAt, at)
                            .SetProperty(j => j.LeaseUntil, at + settings.Lease), ct);
                    if (moved != 1)
                    {
                        // Another node took the job over (this one was too slow to renew its lease): leave it.
                        await tx.RollbackAsync(ct);
                        return false;
                    }
                    await tx.CommitAsync(ct);
                }
                metrics.BatchRows(chunk.Count);
                metrics.Awarded(VerificationType.Signed, AwardSource.Batch, signed.Count);
                metrics.Awarded(VerificationType.Hosted, AwardSource.Batch, chunk.Count - signed.Count);
                next += chunk.Count;
                run.Progressed = true;
                if (settings.PauseBetweenChunks > TimeSpan.Zero && next < rows.Count) { await Task.Delay(settings.PauseBetweenChunks, ct); }
            }
            var done = clock.GetUtcNow().UtcDateTime;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                var completed = await db.BatchJobs.Where(j => j.Id == jobId && j.Status == BatchStatus.Running).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, BatchStatus.Completed)
                    .SetProperty(j => j.CompletedAt, done).SetProperty(j => j.UpdatedAt, done).SetProperty(j => j.LeaseUntil, (DateTime?)null), ct);
                if (completed == 1)
                {
                    // batch.completed, once: only the node whose update completed the job writes it.
                    await Outbox.InsertAsync(db, [Outbox.New(EventTypes.BatchCompleted, badgeClass.IssuerId, job.PublicId, new
                    {
                        jobId = job.PublicId, badgeClassId = badgeClass.PublicId, issuerId = badgeClass.IssuerPublicId,
                        awarded = rows.Count, refused = job.Refused,
                    }, done)], ct);
                }
                await tx.CommitAsync(ct);
            }
            log.LogInformation("Batch job {Job} completed: {Awarded} awarded, {Refused} refused.", job.PublicId, rows.Count, job.Refused);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException && !TransientFaults.IsTransient(e))
        {
            // Only a permanent fault fails the job (with what was awarded kept). The same request, sent again
            // with the same Idempotency-Key once the cause is fixed, queues it again (BatchApi).
            log.LogError(e, "Batch job {Job} failed.", job.PublicId);
            db.ChangeTracker.Clear();
            await FailAsync(db, jobId, "The job stopped on an internal error; the rows awarded so far are kept. Send the same request with the same Idempotency-Key to resume it.", CancellationToken.None);
            return true;
        }
    }

    /// <summary>Gives the lease up, best effort, so that the next poll (here or on another node) resumes the job at once.</summary>
    private async Task ReleaseAsync(long jobId)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
            await db.BatchJobs.Where(j => j.Id == jobId && j.Status == BatchStatus.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, (DateTime?)null));
        }
        catch (Exception e) when (TransientFaults.IsTransient(e))
        {
            log.LogDebug(e, "Batch job {Job}: the lease could not be released; it will expire.", jobId);
        }
    }

    private async Task FailAsync(BadgesDbContext db, long jobId, string reason, CancellationToken ct)
    {
        var at = clock.GetUtcNow().UtcDateTime;
        await db.BatchJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, BatchStatus.Failed)
            .SetProperty(j => j.FailureReason, reason).SetProperty(j => j.UpdatedAt, at).SetProperty(j => j.CompletedAt, at)
            .SetProperty(j => j.LeaseUntil, (DateTime?)null), ct);
        log.LogWarning("Batch job {Job} failed: {Reason}", jobId, reason);
    }
}

/// <summary>One valid row of a batch: its line, and the award request it holds.</summary>
public sealed record BatchRow(int Line, AwardRequest Request);

/// <summary>Job states.</summary>
public static class BatchStatus
{
    public const string Queued = "queued";
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// Runs queued jobs, and takes over jobs whose node stopped (lease expired): at start-up, on every
/// poll, and when a new job is stored. Jobs therefore survive a restart.
/// </summary>
public sealed class BatchWorker(BatchProcessor processor, IServiceScopeFactory scopes, TimeProvider clock, IOptions<BatchOptions> options, ILogger<BatchWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var id in await RunnableAsync(stoppingToken))
                {
                    await processor.RunAsync(id, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // Not yet migrated, the database away, or a job that could not even be marked failed: the
                // worker must not stop for that. It tries again at the next poll.
                log.LogWarning(e, "The batch worker could not run jobs; it will retry.");
            }
            using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            poll.CancelAfter(options.Value.PollInterval);
            try
            {
                await processor.Woken.ReadAsync(poll.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The poll interval passed.
            }
        }
    }

    private async Task<List<long>> RunnableAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.BatchJobs.AsNoTracking()
            .Where(j => j.Status == BatchStatus.Queued || (j.Status == BatchStatus.Running && (j.LeaseUntil == null || j.LeaseUntil < now)))
            .OrderBy(j => j.Id).Select(j => j.Id).Take(100).ToListAsync(ct);
    }
}
