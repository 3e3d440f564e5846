using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>One counted thing as the aggregate queries see it; never materialised, only grouped in SQL.</summary>
public sealed class Fact
{
    public int Month { get; set; }
    public long IssuerId { get; set; }
    public long ClassId { get; set; }
    public string? Code { get; set; }
    public string? Territory { get; set; }
    public string? Outcome { get; set; }
    /// <summary>The recipient's unsalted lookup key, counted DISTINCT and never read out; null for verifications.</summary>
    public string? Person { get; set; }
    public long Weight { get; set; }
}

/// <summary>A fact with the key of the breakdown asked for.</summary>
public sealed class Keyed
{
    public int Month { get; set; }
    public string? Key { get; set; }
    public string? Person { get; set; }
    public long Weight { get; set; }
}

/// <summary>An aggregate row: a month, a key (null for the month's total), how many, and how many people.</summary>
public sealed record Aggregate(int Month, string? Key, long Count, long People);

/// <summary>
/// The aggregate queries: each measure's facts, filtered on an indexed time column over whole months,
/// grouped in the database by month and key with COUNT and COUNT(DISTINCT recipient). No row is loaded
/// into memory; only one row per month and key comes back.
/// </summary>
public static class StatisticsFacts
{
    /// <summary>The key meaning "not a catalogue class" (competence and level) or "no territory".</summary>
    public const string Other = "other";

    /// <summary>
    /// The facts of a measure over whole months. The class's catalogue code and the issuer's territory
    /// are joined only for the breakdowns that read them (<paramref name="by"/>): PostgreSQL cannot drop
    /// an unused inner join, and on a million rows each one costs.
    /// </summary>
    public static IQueryable<Fact> Of(BadgesDbContext db, Measure measure, YearMonth first, YearMonth last, long? issuerId, Breakdown by)
    {
        var (start, end) = (first.Start, last.Next().Start);
        var facts = measure switch
        {
            Measure.Awarded =>
                from a in db.Assertions where a.IssuedOn >= start && a.IssuedOn < end
                select new Fact { Month = a.IssuedOn.Year * 100 + a.IssuedOn.Month, IssuerId = a.IssuerId, ClassId = a.BadgeClassId, Person = a.RecipientLookup, Weight = 1 },
            Measure.Revoked =>
                from a in db.Assertions where a.RevokedAt >= start && a.RevokedAt < end
                select new Fact { Month = a.RevokedAt!.Value.Year * 100 + a.RevokedAt.Value.Month, IssuerId = a.IssuerId, ClassId = a.BadgeClassId, Person = a.RecipientLookup, Weight = 1 },
            // Expired in a closed month: not revoked first (a revoked badge is counted as revoked).
            Measure.Expired =>
                from a in db.Assertions where a.Expires >= start && a.Expires < end && (a.RevokedAt == null || a.RevokedAt > a.Expires)
                select new Fact { Month = a.Expires!.Value.Year * 100 + a.Expires.Value.Month, IssuerId = a.IssuerId, ClassId = a.BadgeClassId, Person = a.RecipientLookup, Weight = 1 },
            Measure.Claims =>
                from c in db.Claims where c.CreatedAt >= start && c.CreatedAt < end
                join cc in db.ClaimCampaigns on c.CampaignId equals cc.Id
                select new Fact { Month = c.CreatedAt.Year * 100 + c.CreatedAt.Month, IssuerId = c.IssuerId, ClassId = cc.BadgeClassId, Outcome = c.Status, Person = c.RecipientLookup, Weight = 1 },
            Measure.Applications =>
                from a in db.Applications where a.CreatedAt >= start && a.CreatedAt < end
                select new Fact { Month = a.CreatedAt.Year * 100 + a.CreatedAt.Month, IssuerId = a.IssuerId, ClassId = a.BadgeClassId, Outcome = a.Status, Person = a.RecipientLookup, Weight = 1 },
            Measure.Verifications =>
                from v in db.VerificationCounts where v.Month >= first.Number && v.Month <= last.Number
                join bc in db.BadgeClasses on v.BadgeClassId equals bc.Id
                select new Fact { Month = v.Month, IssuerId = bc.IssuerId, ClassId = v.BadgeClassId, Person = null, Weight = v.Count },
            _ => throw new ArgumentOutOfRangeException(nameof(measure)),
        };
        if (issuerId is { } id) { facts = facts.Where(f => f.IssuerId == id); }
        if (by is Breakdown.Competence or Breakdown.Level)
        {
            facts = from f in facts join b in db.BadgeClasses on f.ClassId equals b.Id
                    select new Fact { Month = f.Month, IssuerId = f.IssuerId, ClassId = f.ClassId, Code = b.CatalogueCode, Outcome = f.Outcome, Person = f.Person, Weight = f.Weight };
        }
        if (by == Breakdown.Territory)
        {
            facts = from f in facts join i in db.Issuers on f.IssuerId equals i.Id
                    select new Fact { Month = f.Month, IssuerId = f.IssuerId, ClassId = f.ClassId, Territory = i.Territory, Outcome = f.Outcome, Person = f.Person, Weight = f.Weight };
        }
        return facts;
    }

    /// <summary>Each month's total: COUNT (SUM for verifications) and COUNT(DISTINCT recipient).</summary>
    public static async Task<List<Aggregate>> TotalsAsync(IQueryable<Fact> facts, bool postgres, RectecCatalogue catalogue, CancellationToken ct) =>
        [.. (await facts.Select(KeyedBy(Breakdown.Month, catalogue, postgres)).GroupBy(f => f.Month)
            .Select(g => new { Month = g.Key, Count = g.Sum(f => f.Weight), People = g.Select(f => f.Person).Distinct().Count() })
            .ToListAsync(ct)).Select(r => new Aggregate(r.Month, null, r.Count, r.People))];

    /// <summary>Each month's cells for one breakdown.</summary>
    public static async Task<List<Aggregate>> CellsAsync(IQueryable<Fact> facts, Breakdown by, bool postgres, RectecCatalogue catalogue, CancellationToken ct) =>
        [.. (await facts.Select(KeyedBy(by, catalogue, postgres)).GroupBy(k => new { k.Month, k.Key })
            .Select(g => new { g.Key.Month, g.Key.Key, Count = g.Sum(f => f.Weight), People = g.Select(f => f.Person).Distinct().Count() })
            .ToListAsync(ct)).Select(r => new Aggregate(r.Month, r.Key ?? Other, r.Count, r.People))];

    /// <summary>
    /// f => new Keyed { Month, Key = the breakdown's key, Person, Weight }. The competence and level of a
    /// class come from its catalogue code, mapped by the catalogue itself (a CASE in SQL), so a competence
    /// cell counts its people DISTINCT across its levels instead of adding up the levels' counts. On
    /// PostgreSQL the recipient key is compared COLLATE "C": it is hex, and the DISTINCT's sort by bytes
    /// is several times faster than by the database's linguistic collation (benchmarks/statistics.sh).
    /// </summary>
    private static Expression<Func<Fact, Keyed>> KeyedBy(Breakdown by, RectecCatalogue catalogue, bool postgres)
    {
        var f = Expression.Parameter(typeof(Fact), "f");
        Expression Member(string name) => Expression.Property(f, name);
        Expression key = by switch
        {
            Breakdown.Competence => Map(Member(nameof(Fact.Code)), catalogue.Badges.Select(b => (b.Code, b.Competency))),
            Breakdown.Level => Map(Member(nameof(Fact.Code)), catalogue.Badges.Select(b => (b.Code, b.Level.ToString(System.Globalization.CultureInfo.InvariantCulture)))),
            Breakdown.Outcome => Member(nameof(Fact.Outcome)),
            Breakdown.Territory => Member(nameof(Fact.Territory)),
            Breakdown.Issuer => Expression.Call(Member(nameof(Fact.IssuerId)), typeof(long).GetMethod(nameof(long.ToString), Type.EmptyTypes)!),
            _ => Expression.Constant(null, typeof(string)),
        };
        var body = Expression.MemberInit(Expression.New(typeof(Keyed)),
            Expression.Bind(typeof(Keyed).GetProperty(nameof(Keyed.Month))!, Member(nameof(Fact.Month))),
            Expression.Bind(typeof(Keyed).GetProperty(nameof(Keyed.Key))!, key),
            Expression.Bind(typeof(Keyed).GetProperty(nameof(Keyed.Person))!, postgres ? Collate(Member(nameof(Fact.Person)), "C") : Member(nameof(Fact.Person))),
            Expression.Bind(typeof(Keyed).GetProperty(nameof(Keyed.Weight))!, Member(nameof(Fact.Weight))));
        return Expression.Lambda<Func<Fact, Keyed>>(body, f);
    }

    private static Expression Collate(Expression text, string collation) => Expression.Call(
        typeof(RelationalDbFunctionsExtensions).GetMethod(nameof(RelationalDbFunctionsExtensions.Collate))!.MakeGenericMethod(typeof(string)),
        Expression.Constant(EF.Functions), text, Expression.Constant(collation));

    /// <summary>code == c1 ? v1 : code == c2 ? v2 : ... : null, grouped by value (one IN list per value).</summary>
    private static Expression Map(Expression code, IEnumerable<(string Code, string Value)> pairs)
    {
        Expression result = Expression.Constant(null, typeof(string));
        foreach (var group in pairs.GroupBy(p => p.Value).Reverse())
        {
            var codes = Expression.Constant(group.Select(p => p.Code).ToList());
            var contains = Expression.Call(codes, typeof(List<string>).GetMethod(nameof(List<string>.Contains))!, code);
            result = Expression.Condition(contains, Expression.Constant(group.Key, typeof(string)), result);
        }
        return result;
    }
}
