using Requapass.Badges.Api.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Retention;

/// <summary>What one sweep did, rule by rule (README, Data and privacy). <see cref="Ran"/> is false when another node held the sweep.</summary>
public sealed record RetentionOutcome(
    bool Ran, int MailsGivenUp, int MailAddressesWiped, int MailRequestsDeleted, int ClaimAddressesWiped, int ClaimsDeleted,
    int ApplicationsDeleted, int SkillsMapsDeleted, int BatchRowsWiped, int AuditEntriesDeleted, int DataAccessesDeleted = 0)
{
    public static readonly RetentionOutcome Skipped = new(false, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public int Total => MailsGivenUp + MailAddressesWiped + MailRequestsDeleted + ClaimAddressesWiped + ClaimsDeleted
        + ApplicationsDeleted + SkillsMapsDeleted + BatchRowsWiped + AuditEntriesDeleted + DataAccessesDeleted;
}

/// <summary>
/// Enforces the retention settings (<see cref="RetentionOptions"/>). Every <see cref="RetentionOptions.Interval"/>
/// a node tries to take the sweep's lease (worker_leases, a conditional update: of several nodes, one
/// runs it); the sweep then applies each rule (<see cref="RetentionRules"/>) in batches of
/// <see cref="RetentionOptions.BatchSize"/> rows, one short transaction each, and gives the lease back.
/// Each batch's statement repeats its rule's condition, so a sweep that runs twice (a lease that ran
/// out) deletes nothing twice and fails on nothing: it is idempotent.
/// </summary>
public sealed class RetentionWorker(
    IServiceScopeFactory scopes, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<RetentionWorker> log) : BackgroundService
{
    public const string LeaseName = "retention";
    private readonly string _holder = $"{Environment.MachineName}/{Guid.NewGuid():N}";

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            log.LogInformation("Retention:Enabled is false: this node runs no retention sweep.");
            return Task.CompletedTask;
        }
        return PollingLoop.RunAsync(
            SweepAsync,
            () => options.Value.Interval,
            // Each batch is its own transaction: a failed sweep leaves nothing half-done.
            e => log.LogWarning(e, "The retention sweep failed; retrying at the next interval."),
            stoppingToken);
    }

    /// <summary>One sweep, when this node gets the lease.</summary>
    public async Task<RetentionOutcome> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + options.Value.Lease;
        var taken = await db.WorkerLeases.Where(l => l.Name == LeaseName && (l.LeaseUntil == null || l.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, _holder).SetProperty(l => l.LeaseUntil, until), ct);
        if (taken != 1) { return RetentionOutcome.Skipped; }
        try
        {
            var outcome = await new RetentionRules(db, options.Value, now).ApplyAsync(ct);
            if (outcome.Total > 0) { log.LogInformation("Retention sweep: {Outcome}", outcome); }
            return outcome;
        }
        finally
        {
            // Given back even when the node stops: the next node need not wait for the lease to run out.
            await db.WorkerLeases.Where(l => l.Name == LeaseName && l.Holder == _holder)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.Holder, (string?)null).SetProperty(l => l.LeaseUntil, (DateTime?)null), CancellationToken.None);
        }
    }
}
