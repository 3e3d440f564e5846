using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>One cell of a month: its count, or null and suppressed: true when the k rule hides it.</summary>
public sealed record CellFigure(string Key, string Label, long? Count, bool Suppressed);

/// <summary>One closed month: its total (null when hidden) and its cells (none for by=month).</summary>
public sealed record MonthFigures(string Month, long? Total, bool Suppressed, IReadOnlyList<CellFigure> Cells);

/// <summary>A key over the whole range: the sum of its visible month cells; complete: false when some were hidden.</summary>
/// <remarks>The response's own total is the sum of the visible month totals; complete: false when a month's total was hidden.</remarks>
public sealed record SummaryFigure(string Key, string Label, long Count, bool Complete);

/// <summary>
/// Statistics for one measure and breakdown over whole closed months. Every number is a visible
/// month figure or a sum of visible ones (Suppression explains the k rule); <c>minimumCount</c> is k.
/// <c>scope</c>: the issuer's public id, or "requapass" for the whole service.
/// </summary>
public sealed record StatisticsResponse(
    string Scope, string Measure, string By, string From, string To, string Language, int MinimumCount, string Title,
    IReadOnlyList<MonthFigures> Months, IReadOnlyList<SummaryFigure> Summary, long Total, bool Complete);

public static class StatisticsReport
{
    public static async Task<StatisticsResponse> BuildAsync(
        BadgesDbContext db, RectecCatalogue catalogue, StatisticsQuery q, long? issuerId, string scope, StatisticsOptions options, DateTime now, CancellationToken ct)
    {
        var postgres = db.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;
        // COUNT(DISTINCT) sorts: on PostgreSQL, 64 MB of sort memory for this connection while it counts (a
        // million assertions sort in memory instead of on disk; admins' and staff's routes only), then back.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (postgres) { await db.Database.ExecuteSqlRawAsync("SET work_mem = '64MB'", ct); }
            return await BuildAsync(db, catalogue, q, issuerId, scope, options.MinimumCount, Figures, ct);
        }
        finally
        {
            if (postgres) { await db.Database.ExecuteSqlRawAsync("RESET work_mem", CancellationToken.None); }
            await db.Database.CloseConnectionAsync();
        }

        // A breakdown's aggregate rows per month: stored ones while fresh, else computed (and stored).
        Task<List<Aggregate>> Figures(Breakdown by) => StoredFigures.LoadAsync(db, q, by, issuerId, now, options.StoredFiguresLifetime, (from, to) =>
            by == Breakdown.Month
                ? StatisticsFacts.TotalsAsync(StatisticsFacts.Of(db, q.Measure, from, to, issuerId, by), postgres, catalogue, ct)
                : StatisticsFacts.CellsAsync(StatisticsFacts.Of(db, q.Measure, from, to, issuerId, by), by, postgres, catalogue, ct), ct);
    }

    private static async Task<StatisticsResponse> BuildAsync(
        BadgesDbContext db, RectecCatalogue catalogue, StatisticsQuery q, long? issuerId, string scope, int k,
        Func<Breakdown, Task<List<Aggregate>>> aggregates, CancellationToken ct)
    {
        var totals = People(q, await aggregates(Breakdown.Month)).ToDictionary(t => t.Month);
        var cells = q.By == Breakdown.Month ? [] : People(q, await aggregates(q.By)).ToList();
        // Issuers: their names for labels, and their territories for the nested rule (Suppression, rule 5).
        var issuers = q.By == Breakdown.Issuer
            ? await db.Issuers.AsNoTracking().Select(i => new { Id = i.Id.ToString(), i.PublicId, i.Name, i.Territory }).ToListAsync(ct)
            : [];
        var territoryOf = issuers.ToDictionary(i => i.Id, i => i.Territory ?? StatisticsFacts.Other);
        var hiddenTerritories = new Dictionary<int, HashSet<string>>();
        if (q.By == Breakdown.Issuer)
        {
            var territories = People(q, await aggregates(Breakdown.Territory)).ToList();
            foreach (var month in territories.GroupBy(t => t.Month))
            {
                hiddenTerritories[month.Key] = Suppression.Hidden(month.ToList(), k, _ => "");
            }
        }
        var texts = new StatisticsTexts(q.Language, catalogue, issuers.ToDictionary(i => i.Id, i => i.Name));
        var months = new List<MonthFigures>();
        var sums = new Dictionary<string, (long Count, bool Complete)>(StringComparer.Ordinal);
        var (total, complete) = (0L, true);
        foreach (var m in q.Months)
        {
            var t = totals.GetValueOrDefault(m.Number) ?? new Aggregate(m.Number, null, 0, 0);
            var hideTotal = Suppression.IsSmall(t.People, k);
            if (hideTotal) { complete = false; } else { total += t.Count; }
            var mine = cells.Where(c => c.Month == m.Number).ToList();
            IReadOnlySet<string>? forced = null;
            if (hiddenTerritories.TryGetValue(m.Number, out var ht))
            {
                forced = mine.Where(c => ht.Contains(territoryOf.GetValueOrDefault(c.Key!, StatisticsFacts.Other))).Select(c => c.Key!).ToHashSet();
            }
            var hidden = Suppression.Hidden(mine, k, q.By == Breakdown.Issuer ? key => territoryOf.GetValueOrDefault(key, StatisticsFacts.Other) : _ => "", forced);
            var figures = mine.OrderBy(c => texts.Rank(q.By, c.Key!)).ThenBy(c => texts.Label(q.By, c.Key!), StringComparer.Ordinal)
                .Select(c => hidden.Contains(c.Key!)
                    ? new CellFigure(PublicKey(c.Key!), texts.Label(q.By, c.Key!), null, true)
                    : new CellFigure(PublicKey(c.Key!), texts.Label(q.By, c.Key!), c.Count, false)).ToList();
            foreach (var f in figures)
            {
                var (count, whole) = sums.GetValueOrDefault(f.Key, (0, true));
                sums[f.Key] = (count + (f.Count ?? 0), whole && !f.Suppressed);
            }
            months.Add(new MonthFigures(m.ToString(), hideTotal ? null : t.Count, hideTotal, figures));
        }
        var labels = months.SelectMany(m => m.Cells).GroupBy(c => c.Key).ToDictionary(g => g.Key, g => g.First().Label);
        var summary = sums.Select(s => new SummaryFigure(s.Key, labels[s.Key], s.Value.Count, s.Value.Complete))
            .OrderBy(s => texts.Rank(q.By, InternalKey(s.Key))).ThenBy(s => s.Label, StringComparer.Ordinal).ToList();
        return new StatisticsResponse(scope, q.MeasureName, q.ByName, q.From.ToString(), q.To.ToString(), q.Language, k, texts.Title(q),
            months, summary, total, complete);

        // Issuers are keyed by row id in SQL; only their public id leaves the service.
        string PublicKey(string key) => q.By == Breakdown.Issuer ? issuers.FirstOrDefault(i => i.Id == key)?.PublicId ?? key : key;
        string InternalKey(string key) => q.By == Breakdown.Issuer ? issuers.FirstOrDefault(i => i.PublicId == key)?.Id ?? key : key;
    }

    /// <summary>Verifications name no person: the k rule holds their count instead.</summary>
    private static IEnumerable<Aggregate> People(StatisticsQuery q, IEnumerable<Aggregate> rows) =>
        q.Measure == Measure.Verifications ? rows.Select(r => r with { People = r.Count }) : rows;
}
