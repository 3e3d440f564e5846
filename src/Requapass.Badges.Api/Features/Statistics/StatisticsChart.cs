using System.Globalization;
using System.Xml.Linq;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The figures as an SVG chart: bars per key over the range, or a line over the months (by=month).
/// Accessible: role img, a title and a description (aria-labelledby), every value also written as
/// text, colours of at least 4.5:1 on white (WCAG 2.2, 1.4.3 and 1.4.11). Built as XML (every text
/// escaped by the writer); no script, no link, no style sheet, no external reference.
/// </summary>
public static class StatisticsChart
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";
    private const string Ink = "#222222", Bar = "#1f4e79", Muted = "#595959", Grid = "#d0d0d0", Font = "Arial, Helvetica, sans-serif";
    private const int Width = 760;

    public static string Render(StatisticsResponse r, StatisticsQuery q, StatisticsTexts t)
    {
        var period = t.Format("from-to", t.Month(q.From), t.Month(q.To));
        var (desc, height, body) = q.By == Breakdown.Month ? Line(r, q, t) : Bars(r, q, t);
        var notes = Notes(r, t);
        height += notes.Count * 16 + 10;
        var root = new XElement(Svg + "svg",
            new XAttribute("width", Width), new XAttribute("height", height), new XAttribute("viewBox", $"0 0 {Width} {height}"),
            new XAttribute("role", "img"), new XAttribute("aria-labelledby", "chart-title chart-desc"), new XAttribute(XNamespace.Xml + "lang", q.Language),
            new XElement(Svg + "title", new XAttribute("id", "chart-title"), $"{r.Title} ({period})"),
            new XElement(Svg + "desc", new XAttribute("id", "chart-desc"), desc),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
            Text(16, 30, r.Title, 18, "bold"),
            Text(16, 52, period, 13, "normal", Muted));
        root.Add(body);
        var y = height - notes.Count * 16 - 4;
        foreach (var line in notes) { root.Add(Text(16, y, line, 12, "normal", Muted)); y += 16; }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).ToString(SaveOptions.DisableFormatting);
    }

    private static (string Desc, int Height, List<XElement> Body) Bars(StatisticsResponse r, StatisticsQuery q, StatisticsTexts t)
    {
        const int LabelWidth = 270, Top = 76, Row = 32, BarMax = Width - LabelWidth - 110;
        var body = new List<XElement>();
        var max = Math.Max(1, r.Summary.Select(s => s.Count).DefaultIfEmpty(0).Max());
        var y = Top;
        if (r.Summary.Count == 0) { body.Add(Text(16, Top + 20, t["no-data"], 13, "normal")); y += Row; }
        foreach (var s in r.Summary)
        {
            var width = (int)Math.Round((double)s.Count / max * BarMax);
            var value = t.Number(s.Count) + (s.Complete ? "" : " *");
            if (s.Count == 0 && !s.Complete) { value = t["hidden-short"] + " *"; }
            var g = new XElement(Svg + "g", new XAttribute("data-key", s.Key),
                new XElement(Svg + "title", $"{s.Label}: {value}"),
                Text(16, y + 20, Shorten(s.Label, 40), 13, "normal"),
                new XElement(Svg + "rect", new XAttribute("x", LabelWidth), new XAttribute("y", y + 5), new XAttribute("width", Math.Max(width, 2)),
                    new XAttribute("height", Row - 10), new XAttribute("fill", width > 0 ? Bar : Muted)),
                Text(LabelWidth + Math.Max(width, 2) + 8, y + 20, value, 13, "bold"));
            body.Add(g);
            y += Row;
        }
        body.Add(new XElement(Svg + "line", new XAttribute("x1", LabelWidth), new XAttribute("x2", LabelWidth), new XAttribute("y1", Top),
            new XAttribute("y2", y), new XAttribute("stroke", Ink)));
        var desc = t.Format("desc-bar", t[q.MeasureName], t[q.ByName], t.Month(q.From), t.Month(q.To)) + " "
            + string.Join("; ", r.Summary.Select(s => $"{s.Label}: {(s.Count == 0 && !s.Complete ? t["hidden-short"] : s.Count.ToString(CultureInfo.InvariantCulture))}"));
        return (desc, y + 20, body);
    }

    private static (string Desc, int Height, List<XElement> Body) Line(StatisticsResponse r, StatisticsQuery q, StatisticsTexts t)
    {
        const int Left = 70, Right = Width - 30, Top = 80, Bottom = 300;
        var body = new List<XElement>();
        var max = NiceMax(r.Months.Select(m => m.Total ?? 0).DefaultIfEmpty(0).Max());
        for (var i = 0; i <= 4; i++)
        {
            var value = max * i / 4;
            var y = Bottom - (Bottom - Top) * i / 4;
            body.Add(new XElement(Svg + "line", new XAttribute("x1", Left), new XAttribute("x2", Right), new XAttribute("y1", y), new XAttribute("y2", y),
                new XAttribute("stroke", i == 0 ? Ink : Grid)));
            body.Add(Text(Left - 8, y + 4, t.Number(value), 12, "normal", Ink, "end"));
        }
        var n = r.Months.Count;
        double X(int i) => n == 1 ? (Left + Right) / 2.0 : Left + 10 + (Right - Left - 20) * (double)i / (n - 1);
        double Y(long v) => Bottom - (Bottom - Top) * (double)v / max;
        var every = (int)Math.Ceiling(n / 12.0);
        var segment = new List<string>();
        void Flush()
        {
            if (segment.Count > 1)
            {
                body.Add(new XElement(Svg + "polyline", new XAttribute("points", string.Join(" ", segment)), new XAttribute("fill", "none"),
                    new XAttribute("stroke", Bar), new XAttribute("stroke-width", 3)));
            }
            segment.Clear();
        }
        for (var i = 0; i < n; i++)
        {
            var m = r.Months[i];
            var x = X(i);
            var label = t.Month(YearMonth.Parse(m.Month)!.Value);
            if (i % every == 0)
            {
                body.Add(new XElement(Svg + "text", new XAttribute("transform", FormattableString.Invariant($"translate({x:0.#},{Bottom + 16}) rotate(-35)")),
                    new XAttribute("font-family", Font), new XAttribute("font-size", 12), new XAttribute("fill", Ink), new XAttribute("text-anchor", "end"), label));
            }
            if (m.Total is { } total)
            {
                segment.Add(FormattableString.Invariant($"{x:0.#},{Y(total):0.#}"));
                body.Add(new XElement(Svg + "circle", new XAttribute("cx", x.ToString("0.#", CultureInfo.InvariantCulture)),
                    new XAttribute("cy", Y(total).ToString("0.#", CultureInfo.InvariantCulture)), new XAttribute("r", 4), new XAttribute("fill", Bar),
                    new XElement(Svg + "title", $"{label}: {total}")));
                if (n <= 24) { body.Add(Text((int)x, (int)Y(total) - 9, t.Number(total), 11, "bold", Ink, "middle")); }
            }
            else
            {
                // A hidden month breaks the line: it is marked, never drawn at a guessed height.
                Flush();
                body.Add(new XElement(Svg + "g", new XElement(Svg + "title", $"{label}: {t.Format("hidden", r.MinimumCount)}"),
                    Text((int)x, Bottom - 6, "*", 16, "bold", Muted, "middle")));
            }
        }
        Flush();
        var desc = t.Format("desc-line", t[q.MeasureName], t.Month(q.From), t.Month(q.To)) + " "
            + string.Join("; ", r.Months.Select(m => $"{t.Month(YearMonth.Parse(m.Month)!.Value)}: {(m.Total?.ToString(CultureInfo.InvariantCulture) ?? t["hidden-short"])}"));
        return (desc, Bottom + 80, body);
    }

    private static List<string> Notes(StatisticsResponse r, StatisticsTexts t)
    {
        var hidden = r.Months.Any(m => m.Suppressed || m.Cells.Any(c => c.Suppressed));
        return hidden ? Wrap("* " + t.Format("incomplete", r.MinimumCount), 110) : [];
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length + word.Length + 1 > width && line.Length > 0) { lines.Add(line); line = ""; }
            line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) { lines.Add(line); }
        return lines;
    }

    /// <summary>The axis top: four equal steps of 1, 2, 2.5 or 5 times a power of ten.</summary>
    private static long NiceMax(long max)
    {
        if (max <= 4) { return 4; }
        var raw = max / 4.0;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = new[] { 1, 2, 2.5, 5, 10 }.Select(f => Math.Ceiling(f * magnitude)).First(s => s >= raw);
        return (long)step * 4;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static XElement Text(int x, int y, string text, int size, string weight, string fill = Ink, string anchor = "start") =>
        new(Svg + "text", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("font-family", Font),
            new XAttribute("font-size", size), new XAttribute("font-weight", weight), new XAttribute("fill", fill), new XAttribute("text-anchor", anchor), text);
}
