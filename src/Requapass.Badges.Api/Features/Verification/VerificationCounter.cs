using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Verification;

/// <summary>
/// Counts verifications of our own badges for the barometer, per badge class and UTC month. Nothing
/// about the verifier or the badge's holder is kept: no address, and no assertion id once written.
/// A badge is ours when the report's assertion id names one of our assertions (its URL under our base,
/// its OB 3.0 credential's id, or the urn:uuid of one of our signed badges).
/// <para>
/// A verification only adds one to a count in memory (<see cref="Count"/>): verifying is an anonymous
/// read, and a write per verification would put it on the database's write path (on SQLite, a commit
/// and its fsync each). <see cref="VerificationCountFlusher"/> writes the counts every
/// Statistics:VerificationFlushInterval in one transaction, one upsert (INSERT ... ON CONFLICT DO
/// UPDATE, the same text on SQLite and PostgreSQL) per assertion counted; an id that is not one of
/// ours finds no row and writes nothing. The counter never fails a verification.
/// </para>
/// </summary>
public sealed class VerificationCounter(PublicUrls urls, TimeProvider clock, ILogger<VerificationCounter> log)
{
    /// <summary>Distinct (assertion, month) keys held between two writes; past it a count is dropped (and logged once per write).</summary>
    public const int Capacity = 10_000;

    private ConcurrentDictionary<(bool Uuid, string Id, int Month), long> counts = new();
    private long dropped;

    public void Count(JsonElement? assertion)
    {
        if (assertion is not { ValueKind: JsonValueKind.Object } a || !a.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String) { return; }
        var id = idProperty.GetString()!;
        var now = clock.GetUtcNow().UtcDateTime;
        var month = now.Year * 100 + now.Month;
        var prefix = urls.Base + "/public/assertions/";
        // An OB 3.0 credential of ours is the same award: its id is the assertion's URL + "/ob3".
        var rest = id.StartsWith(prefix, StringComparison.Ordinal) ? id[prefix.Length..] : null;
        if (rest is not null && rest.EndsWith("/ob3", StringComparison.Ordinal)) { rest = rest[..^"/ob3".Length]; }
        (bool, string, int)? key =
            rest is not null && PublicIds.LooksValid(rest) ? (false, rest, month)
            : id.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) && Guid.TryParse(id["urn:uuid:".Length..], out var uuid) ? (true, uuid.ToString(), month)
            : null;
        if (key is null) { return; }
        var current = Volatile.Read(ref counts);
        if (current.Count >= Capacity && !current.ContainsKey(key.Value)) { Interlocked.Increment(ref dropped); return; }
        current.AddOrUpdate(key.Value, 1, (_, n) => n + 1);
    }

    /// <summary>True when counts wait to be written.</summary>
    public bool HasCounts => !Volatile.Read(ref counts).IsEmpty;

    /// <summary>Writes what was counted since the last write; on a failure the counts wait for the next one.</summary>
    public async Task FlushAsync(BadgesDbContext db, CancellationToken ct)
    {
        var taken = Interlocked.Exchange(ref counts, new());
        if (Interlocked.Exchange(ref dropped, 0) is > 0 and var lost)
        {
            log.LogWarning("{Dropped} verifications were not counted: more than {Capacity} badges were verified between two writes.", lost, Capacity);
        }
        if (taken.IsEmpty) { return; }
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var ((isUuid, id, month), n) in taken)
            {
                if (isUuid)
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"""
                        INSERT INTO verification_counts (badge_class_id, month, count)
                        SELECT badge_class_id, {month}, {n} FROM assertions WHERE uuid = {id}
                        ON CONFLICT (badge_class_id, month) DO UPDATE SET count = verification_counts.count + excluded.count
                        """, ct);
                }
                else
                {
                    await db.Database.ExecuteSqlInterpolatedAsync($"""
                        INSERT INTO verification_counts (badge_class_id, month, count)
                        SELECT badge_class_id, {month}, {n} FROM assertions WHERE public_id = {id}
                        ON CONFLICT (badge_class_id, month) DO UPDATE SET count = verification_counts.count + excluded.count
                        """, ct);
                }
            }
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The statistics matter less than the service: keep the counts for the next write, and go on.
            foreach (var (key, n) in taken) { Volatile.Read(ref counts).AddOrUpdate(key, n, (_, m) => m + n); }
            log.LogWarning(e, "Verification counts could not be written; they are kept for the next try.");
        }
    }
}

/// <summary>Writes the verification counts every Statistics:VerificationFlushInterval, and once more when the node stops.</summary>
public sealed class VerificationCountFlusher(
    VerificationCounter counter, IServiceScopeFactory scopes, IOptions<StatisticsOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(options.Value.VerificationFlushInterval, clock, stoppingToken);
                await FlushAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the last counts are written below.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!counter.HasCounts) { return; }
        try { await FlushAsync(cancellationToken); }
        // A host torn down with its services or loggers already disposed (an in-memory test server):
        // nothing is left to write or log with.
        catch (Exception e) when (e is ObjectDisposedException || e is AggregateException a && a.Flatten().InnerExceptions.All(i => i is ObjectDisposedException)) { }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await counter.FlushAsync(scope.ServiceProvider.GetRequiredService<BadgesDbContext>(), ct);
    }
}
