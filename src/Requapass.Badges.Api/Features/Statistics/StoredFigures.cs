using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The figures of closed months, computed once and stored (statistics_cells, migration 0022): a month's
/// aggregate rows for one scope, measure and breakdown are read back while younger than
/// Statistics:StoredFiguresLifetime, and computed again (one aggregate query over the span of the
/// missing or stale months) otherwise. The k rule is still applied to every request by the report, from
/// the same per-month counts the aggregate queries give: storing changes when a figure is counted, not
/// what it means. Only closed months are ever asked (StatisticsQuery), so a stored month is never a
/// month still filling up; what may still change it (a late award, a revocation, an erasure) shows
/// within the lifetime. Several nodes may compute the same months at once: each answers with its own
/// figures, and the loser of the write (a primary key conflict) simply does not store them.
/// </summary>
public static class StoredFigures
{
    /// <summary>key of a month's total (breakdown month) or of the mark that a breakdown's month was computed.</summary>
    private const string MonthKey = "";

    public static async Task<List<Aggregate>> LoadAsync(
        BadgesDbContext db, StatisticsQuery q, Breakdown by, long? issuerId, DateTime now, TimeSpan lifetime,
        Func<YearMonth, YearMonth, Task<List<Aggregate>>> compute, CancellationToken ct)
    {
        if (lifetime <= TimeSpan.Zero) { return await compute(q.From, q.To); }
        var (scope, measure, breakdown) = (issuerId ?? 0, q.MeasureName, Name(by));
        var (first, last, freshSince) = (q.From.Number, q.To.Number, now - lifetime);
        var stored = await db.StatisticsCells.AsNoTracking()
            .Where(c => c.Scope == scope && c.Measure == measure && c.Breakdown == breakdown && c.Month >= first && c.Month <= last)
            .ToListAsync(ct);
        var fresh = stored.Where(c => c.Key == MonthKey && c.ComputedAt > freshSince).Select(c => c.Month).ToHashSet();
        var missing = q.Months.Where(m => !fresh.Contains(m.Number)).ToList();
        if (missing.Count == 0) { return [.. stored.Where(Shown).Select(Read)]; }
        // One query over the span of the months to compute (on a first request: the whole range).
        var (from, to) = (missing[0], missing[^1]);
        var computed = await compute(from, to);
        await StoreAsync(db, scope, measure, breakdown, from, to, computed, now, ct);
        return [.. stored.Where(c => (c.Month < from.Number || c.Month > to.Number) && Shown(c)).Select(Read), .. computed];

        bool Shown(StatisticsCellEntity c) => by == Breakdown.Month || c.Key != MonthKey;
        Aggregate Read(StatisticsCellEntity c) => new(c.Month, c.Key == MonthKey ? null : c.Key, c.Count, c.People);
    }

    private static async Task StoreAsync(BadgesDbContext db, long scope, string measure, string breakdown,
        YearMonth from, YearMonth to, List<Aggregate> computed, DateTime now, CancellationToken ct)
    {
        var rows = computed.Select(a => new StatisticsCellEntity
        {
            Scope = scope, Measure = measure, Breakdown = breakdown, Month = a.Month, Key = a.Key ?? MonthKey, Count = a.Count, People = a.People, ComputedAt = now,
        }).ToList();
        // Every computed month gets its key '' row, even with no figure: an empty month is known, not missing.
        var marked = rows.Where(r => r.Key == MonthKey).Select(r => r.Month).ToHashSet();
        for (var m = from; m.CompareTo(to) <= 0; m = m.Next())
        {
            if (!marked.Contains(m.Number))
            {
                rows.Add(new StatisticsCellEntity { Scope = scope, Measure = measure, Breakdown = breakdown, Month = m.Number, Key = MonthKey, ComputedAt = now });
            }
        }
        var (first, last) = (from.Number, to.Number);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.StatisticsCells.Where(c => c.Scope == scope && c.Measure == measure && c.Breakdown == breakdown && c.Month >= first && c.Month <= last)
                .ExecuteDeleteAsync(ct);
            db.StatisticsCells.AddRange(rows);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            // Another node stored the same months meanwhile: same query, same figures; ours are answered, not kept.
            await transaction.RollbackAsync(CancellationToken.None);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    private static string Name(Breakdown by) => StatisticsQuery.Breakdowns.First(b => b.Value == by).Key;
}
