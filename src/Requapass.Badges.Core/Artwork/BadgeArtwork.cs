using System.Globalization;
using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Artwork;

/// <summary>The artwork of the 32 RECTEC+ catalogue classes, as SVG and as PNG of the same design.</summary>
public static class BadgeArtwork
{
    /// <summary>Width and height of the artwork, in pixels.</summary>
    public const int Size = 256;

    /// <summary>The 8 competence keys, in catalogue order.</summary>
    public static IReadOnlyList<string> CompetencyKeys => BadgeDesign.Keys;

    /// <summary>True when the key is one of the catalogue's competences.</summary>
    public static bool IsKnown(string competencyKey) => BadgeDesign.Keys.Contains(competencyKey);

    /// <summary>A 256 x 256 PNG, deterministic, rendered by the project's own rasteriser.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown competence, or a level outside 1 to 4.</exception>
    public static byte[] Png(string competencyKey, int level) =>
        PngEncoder.Encode(Size, Size, Rasterizer.Render(BadgeDesign.For(competencyKey, level), Size));

    /// <summary>The design as raw RGBA pixels (256 x 256 x 4, rows top to bottom), for composing sheets.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown competence, or a level outside 1 to 4.</exception>
    public static byte[] RenderRgba(string competencyKey, int level) => Rasterizer.Render(BadgeDesign.For(competencyKey, level), Size);

    /// <summary>A standalone SVG 1.1 document of the same design: no script, no external reference.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown competence, or a level outside 1 to 4.</exception>
    public static string Svg(string competencyKey, int level)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Size} {Size}\" width=\"{Size}\" height=\"{Size}\">");
        foreach (var shape in BadgeDesign.For(competencyKey, level))
        {
            var fill = shape.Color.Css;
            var opacity = shape.Color.A == 255 ? "" : string.Create(CultureInfo.InvariantCulture, $" opacity=\"{shape.Color.A / 255.0:0.###}\"");
            sb.Append(shape switch
            {
                Disc d => string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{d.Cx:0.##}\" cy=\"{d.Cy:0.##}\" r=\"{d.R:0.##}\" fill=\"{fill}\"{opacity}/>"),
                Ring r => string.Create(CultureInfo.InvariantCulture, $"<circle cx=\"{r.Cx:0.##}\" cy=\"{r.Cy:0.##}\" r=\"{r.R:0.##}\" fill=\"none\" stroke=\"{fill}\" stroke-width=\"{r.Width:0.##}\"{opacity}/>"),
                Poly p => $"<path fill-rule=\"evenodd\" fill=\"{fill}\"{opacity} d=\"M{string.Join(" L", p.Points.Select(pt => string.Create(CultureInfo.InvariantCulture, $"{pt.X:0.##} {pt.Y:0.##}")))} Z\"/>",
                _ => throw new InvalidOperationException("Unknown shape."),
            });
        }
        return sb.Append("</svg>").ToString();
    }
}
