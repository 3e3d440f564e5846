using Requapass.Badges.Core.Catalogue;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>
/// The map as a PDF (PdfPig's writer), A4, in the map's language. PdfPig writes its Standard 14 fonts
/// with StandardEncoding, which has no accented letters ('à' is refused), so the PDF embeds DejaVu Sans
/// (Fonts/, Bitstream Vera licence): every French and Dutch letter, « » and œ included. A character
/// outside WinAnsi's repertoire (an emoji) is written as '?'. Lines are wrapped by measuring words.
/// </summary>
public static class SkillsMapPdf
{
    public const string MediaType = "application/pdf";

    private const double Margin = 50, Width = 595 - 2 * Margin, Top = 842 - Margin;

    // WinAnsiEncoding's characters above Latin-1's C1 range (ISO 32000-1, Annex D.2).
    private const string WinAnsiExtra = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ";

    private static readonly Lazy<byte[]> Font = new(() =>
    {
        using var stream = typeof(SkillsMapPdf).Assembly.GetManifestResourceStream("SkillsMaps.DejaVuSans.ttf")
            ?? throw new InvalidOperationException("The skills map PDF's font is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static IResult Result(SkillsMapResponse map, RectecCatalogue catalogue, Pages.PageTexts texts) =>
        TypedResults.File(Build(map, catalogue, texts), MediaType, "skills-map.pdf");

    public static byte[] Build(SkillsMapResponse map, RectecCatalogue catalogue, Pages.PageTexts texts)
    {
        // The page's texts (Pages/Texts), so the PDF and the printable page say the same thing.
        var language = Pages.PageLanguages.All.Contains(map.Locale) ? map.Locale : "fr";
        var t = texts.For(language);
        var builder = new PdfDocumentBuilder();
        var regular = builder.AddTrueTypeFont(Font.Value);
        var bold = regular;
        var page = builder.AddPage(PageSize.A4);
        var y = Top;

        void Line(string text, double size, PdfDocumentBuilder.AddedFont font, double indent = 0)
        {
            foreach (var line in Wrap(page, Safe(text), size, font, Width - indent))
            {
                if (y < Margin + size)
                {
                    page = builder.AddPage(PageSize.A4);
                    y = Top;
                }
                page.AddText(line, size, new PdfPoint(Margin + indent, y - size), font);
                y -= size * 1.35;
            }
        }
        void Field(string label, string? value, double indent = 0)
        {
            if (string.IsNullOrWhiteSpace(value)) { return; }
            // French puts a (no-break) space before the colon.
            Line(label + (language == "fr" ? "\u00a0: " : ": ") + value, 10, regular, indent);
        }

        Line(map.Title is null ? t["map_kicker"] : $"{t["map_kicker"]} – {map.Title}", 18, bold);
        Line($"{catalogue.Framework.Name} · REQUAPASS", 10, regular);
        y -= 8;
        if (map.Experiences.Count == 0) { Line(t["map_empty"], 11, regular); }
        foreach (var e in map.Experiences)
        {
            y -= 6;
            Line($"{e.Position}. {e.Association} – {e.Role}", 13, bold);
            Field(t["map_what"], e.ContextWhat);
            Field(t["map_for_whom"], e.ContextForWhom);
            Field(t["map_when"], texts.Period(language, e.StartedOn, e.EndedOn, e.DurationMonths));
            Field(t["map_hours"], e.HoursPerMonth?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Field(t["map_words"], e.Narrative);
            if (e.Competences.Count > 0) { Line(t["map_competences"], 11, bold, 10); }
            foreach (var c in e.Competences)
            {
                Line($"• {c.Name} – {c.LevelName}", 10, bold, 20);
                if (!string.IsNullOrWhiteSpace(c.Example)) { Line($"{t["map_example"]} {c.Example}", 10, regular, 30); }
            }
        }
        return builder.Build();
    }

    /// <summary>The text with every character WinAnsi encoding lacks replaced by '?', and no control characters.</summary>
    public static string Safe(string text) => new([.. text.Select(ch =>
        ch is '\n' or '\r' or '\t' ? ' '
        : (ch >= 0x20 && ch < 0x7F) || (ch >= 0xA0 && ch <= 0xFF) || WinAnsiExtra.Contains(ch) ? ch
        : '?')]);

    private static IEnumerable<string> Wrap(PdfPageBuilder page, string text, double size, PdfDocumentBuilder.AddedFont font, double width)
    {
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (line.Length > 0 && Measure(page, candidate, size, font) > width)
            {
                yield return line;
                line = word;
            }
            else { line = candidate; }
            // A word longer than the line (a URL) is cut.
            while (Measure(page, line, size, font) > width && line.Length > 1)
            {
                var cut = line.Length - 1;
                while (cut > 1 && Measure(page, line[..cut], size, font) > width) { cut--; }
                yield return line[..cut];
                line = line[cut..];
            }
        }
        if (line.Length > 0) { yield return line; }
    }

    private static double Measure(PdfPageBuilder page, string text, double size, PdfDocumentBuilder.AddedFont font)
    {
        var letters = page.MeasureText(text, size, new PdfPoint(0, 0), font);
        return letters.Count == 0 ? 0 : letters[^1].EndBaseLine.X;
    }
}
