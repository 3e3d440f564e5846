using System.Globalization;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>What is counted.</summary>
public enum Measure { Awarded, Revoked, Expired, Claims, Applications, Verifications }

/// <summary>How the figures are broken down within each month (Month: the month's total alone).</summary>
public enum Breakdown { Month, Competence, Level, Outcome, Issuer, Territory }

/// <summary>A calendar month (UTC), the only time unit of the figures.</summary>
public readonly record struct YearMonth(int Year, int Month) : IComparable<YearMonth>
{
    public int Number => Year * 100 + Month;
    public DateTime Start => new(Year, Month, 1, 0, 0, 0, DateTimeKind.Utc);
    public YearMonth Next() => Month == 12 ? new(Year + 1, 1) : new(Year, Month + 1);
    public YearMonth Plus(int months) { var n = Year * 12 + Month - 1 + months; return new(n / 12, n % 12 + 1); }
    public int MonthsTo(YearMonth other) => (other.Year - Year) * 12 + other.Month - Month;
    public int CompareTo(YearMonth other) => Number.CompareTo(other.Number);
    public override string ToString() => $"{Year:0000}-{Month:00}";
    public static YearMonth Of(DateTime t) => new(t.Year, t.Month);
    public static YearMonth FromNumber(int n) => new(n / 100, n % 100);

    public static YearMonth? Parse(string? text) =>
        text is { Length: 7 } && text[4] == '-'
        && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 2999
        && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12
            ? new YearMonth(y, m) : null;
}

/// <summary>A checked statistics request: what, how, which closed months, in which language.</summary>
public sealed record StatisticsQuery(Measure Measure, Breakdown By, YearMonth From, YearMonth To, string Language)
{
    /// <summary>The longest range asked at once, in months.</summary>
    public const int MaxMonths = 60;
    public const int DefaultMonths = 12;

    public static readonly IReadOnlyDictionary<string, Measure> Measures = new Dictionary<string, Measure>
    {
        ["awarded"] = Measure.Awarded, ["revoked"] = Measure.Revoked, ["expired"] = Measure.Expired,
        ["claims"] = Measure.Claims, ["applications"] = Measure.Applications, ["verifications"] = Measure.Verifications,
    };

    public static readonly IReadOnlyDictionary<string, Breakdown> Breakdowns = new Dictionary<string, Breakdown>
    {
        ["month"] = Breakdown.Month, ["competence"] = Breakdown.Competence, ["level"] = Breakdown.Level,
        ["outcome"] = Breakdown.Outcome, ["issuer"] = Breakdown.Issuer, ["territory"] = Breakdown.Territory,
    };

    public string MeasureName => Measures.First(m => m.Value == Measure).Key;
    public string ByName => Breakdowns.First(b => b.Value == By).Key;
    public IEnumerable<YearMonth> Months { get { for (var m = From; m.CompareTo(To) <= 0; m = m.Next()) { yield return m; } } }

    /// <summary>
    /// Checks the query string. Only whole, closed months are counted (the current month is still
    /// moving: watching it from day to day would show each new badge as it comes), at most
    /// <see cref="MaxMonths"/> at once; <paramref name="wholeService"/>: the REQUAPASS-wide route, the only one
    /// broken down by issuer or territory.
    /// </summary>
    public static (StatisticsQuery? Query, ValidationErrors Errors) Parse(
        string? measure, string? by, string? from, string? to, string? lang, HttpRequest request, DateTime now, bool wholeService)
    {
        var errors = new ValidationErrors();
        var m = Measure.Awarded;
        if (measure is not null && !Measures.TryGetValue(measure.Trim().ToLowerInvariant(), out m))
        {
            errors.Add("measure", $"measure must be one of {string.Join(", ", Measures.Keys)}.");
        }
        var b = Breakdown.Month;
        if (by is not null && !Breakdowns.TryGetValue(by.Trim().ToLowerInvariant(), out b))
        {
            errors.Add("by", $"by must be one of {string.Join(", ", Breakdowns.Keys)}.");
        }
        else if (b is Breakdown.Issuer or Breakdown.Territory && !wholeService)
        {
            errors.Add("by", "by=issuer and by=territory are REQUAPASS-wide breakdowns: GET /api/v1/statistics (platform admins).");
        }
        else if (b == Breakdown.Outcome && m is not (Measure.Claims or Measure.Applications))
        {
            errors.Add("by", "by=outcome applies to claims and applications only.");
        }
        var lastClosed = YearMonth.Of(now).Plus(-1);
        var end = to is null ? lastClosed : YearMonth.Parse(to);
        var start = from is null ? end?.Plus(1 - DefaultMonths) : YearMonth.Parse(from);
        if (to is not null && end is null) { errors.Add("to", "to must be a month written yyyy-MM, e.g. 2026-06."); }
        if (from is not null && start is null) { errors.Add("from", "from must be a month written yyyy-MM, e.g. 2026-01."); }
        if (end is { } e && e.CompareTo(lastClosed) > 0)
        {
            errors.Add("to", $"to must be a closed month: {lastClosed} or earlier (the current month is counted once it ends).");
        }
        if (start is { } s && end is { } e2)
        {
            if (s.CompareTo(e2) > 0) { errors.Add("from", "from must not be after to."); }
            else if (s.MonthsTo(e2) + 1 > MaxMonths) { errors.Add("from", $"At most {MaxMonths} months at once."); }
        }
        var language = PageLanguages.Choose(lang, request);
        if (language is null) { errors.Add("lang", "lang must be fr, nl or en."); }
        return errors.Any ? (null, errors) : (new StatisticsQuery(m, b, start!.Value, end!.Value, language!), errors);
    }
}
