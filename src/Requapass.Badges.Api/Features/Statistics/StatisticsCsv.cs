using System.Globalization;
using System.Text;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The figures as CSV (RFC 4180): one row per month total and per cell, then the range's sums (month
/// "all"). A hidden figure is an empty count with suppressed = true, never the number.
/// </summary>
public static class StatisticsCsv
{
    public static string Write(StatisticsResponse r)
    {
        var sb = new StringBuilder("scope,measure,by,month,key,label,count,suppressed\r\n");
        foreach (var m in r.Months)
        {
            Row(sb, r, m.Month, "total", "total", m.Total, m.Suppressed);
            foreach (var c in m.Cells) { Row(sb, r, m.Month, c.Key, c.Label, c.Count, c.Suppressed); }
        }
        foreach (var s in r.Summary) { Row(sb, r, "all", s.Key, s.Label, s.Count, !s.Complete); }
        Row(sb, r, "all", "total", "total", r.Total, !r.Complete);
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, StatisticsResponse r, string month, string key, string label, long? count, bool suppressed)
    {
        sb.Append(Field(r.Scope)).Append(',').Append(r.Measure).Append(',').Append(r.By).Append(',').Append(month).Append(',')
            .Append(Field(key)).Append(',').Append(Field(label)).Append(',')
            .Append(count?.ToString(CultureInfo.InvariantCulture)).Append(',').Append(suppressed ? "true" : "false").Append("\r\n");
    }

    /// <summary>
    /// Quoted when needed (RFC 4180, section 2); a text a spreadsheet would run as a formula (=, +, -, @,
    /// tab, return at its start: an issuer's name is the issuer's to choose) gets a leading apostrophe.
    /// </summary>
    private static string Field(string text)
    {
        if (text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') { text = "'" + text; }
        return text.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
    }
}
