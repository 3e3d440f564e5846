using System.Globalization;
using System.Xml.Linq;

namespace Requapass.Badges.Api.Features.Progress;

/// <summary>
/// The progress grid as an SVG picture: one row per competence, one column per level; each cell says
/// held (linking to the badge when shown), applied, next step, or nothing yet. Built as XML (every
/// text escaped by the writer); no script, no external reference but the badges' own URLs.
/// </summary>
public static class ProgressSvg
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private sealed record Labels(string Title, string Held, string Applied, string Next, string HeldElsewhere);

    private static readonly Dictionary<string, Labels> ByLanguage = new()
    {
        ["fr"] = new("Progression RECTEC+", "Obtenu", "Demandé", "Prochaine étape", "autre(s) niveau(x) obtenu(s) ailleurs"),
        ["nl"] = new("RECTEC+-voortgang", "Behaald", "Aangevraagd", "Volgende stap", "ander(e) niveau(s) elders behaald"),
        ["en"] = new("RECTEC+ progress", "Held", "Applied", "Next step", "other level(s) held elsewhere"),
    };

    private const int NameWidth = 290, CellWidth = 130, RowHeight = 46, Top = 40, Gap = 4;

    public static string Render(ProgressGridResponse grid)
    {
        var t = ByLanguage.GetValueOrDefault(grid.Language) ?? ByLanguage["fr"];
        var width = NameWidth + 4 * CellWidth + 10;
        var height = Top + grid.Competences.Count * RowHeight + 10;
        var root = new XElement(Svg + "svg",
            new XAttribute("width", width), new XAttribute("height", height),
            new XAttribute("viewBox", $"0 0 {width} {height}"), new XAttribute("role", "img"), new XAttribute(XNamespace.Xml + "lang", grid.Language),
            new XElement(Svg + "title", t.Title),
            new XElement(Svg + "rect", new XAttribute("width", "100%"), new XAttribute("height", "100%"), new XAttribute("fill", "#ffffff")),
            Text(10, 24, t.Title, 16, "bold"));
        var y = Top;
        foreach (var competence in grid.Competences)
        {
            var row = new XElement(Svg + "g", new XAttribute("data-competence", competence.Competence));
            var name = competence.HeldElsewhere > 0 ? $"{competence.Name} (+{competence.HeldElsewhere} {t.HeldElsewhere})" : competence.Name;
            row.Add(Text(10, y + RowHeight / 2 + 5, competence.Name, 13, "normal"));
            if (competence.HeldElsewhere > 0) { row.Add(new XElement(Svg + "title", name)); }
            var x = NameWidth;
            foreach (var cell in competence.Levels)
            {
                var state = cell.Held ? "held" : cell.Applied ? "applied" : cell.Next ? "next" : "empty";
                var fill = state switch { "held" => "#2e7d32", "applied" => "#f9a825", "next" => "#e3f2fd", _ => "#f4f4f4" };
                var ink = state is "held" ? "#ffffff" : "#222222";
                var label = state switch { "held" => t.Held, "applied" => t.Applied, "next" => t.Next, _ => "" };
                var g = new XElement(Svg + "g", new XAttribute("id", "cell-" + cell.Code), new XAttribute("data-code", cell.Code),
                    new XAttribute("data-level", cell.Level.ToString(CultureInfo.InvariantCulture)), new XAttribute("data-state", state),
                    new XElement(Svg + "rect", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("width", CellWidth - Gap),
                        new XAttribute("height", RowHeight - Gap), new XAttribute("rx", 6), new XAttribute("fill", fill),
                        new XAttribute("stroke", state == "next" ? "#1f77b4" : "#cccccc")),
                    new XElement(Svg + "title", $"{competence.Name} – {cell.Name}" + (label.Length > 0 ? $": {label}" : "")),
                    Text(x + 8, y + 18, cell.Name, 12, "bold", ink),
                    Text(x + 8, y + 34, label, 11, "normal", ink));
                // A held badge shown to this caller links to its hosted page.
                row.Add(cell.Assertion is { } url ? new XElement(Svg + "a", new XAttribute("href", url), g) : g);
                x += CellWidth;
            }
            root.Add(row);
            y += RowHeight;
        }
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Text(int x, int y, string text, int size, string weight, string fill = "#222222") =>
        new(Svg + "text", new XAttribute("x", x), new XAttribute("y", y), new XAttribute("font-family", "Arial, Helvetica, sans-serif"),
            new XAttribute("font-size", size), new XAttribute("font-weight", weight), new XAttribute("fill", fill), text);
}
