using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// The artwork of the 32 RECTEC+ catalogue classes (8 competences x 4 levels), as SVG and as PNG of
/// the same design: the competence gives the colour and the pictogram, the level the number of stars
/// and rings. Both formats are drawn from one list of shapes by the project's own code.
/// </summary>
public static class BadgeArtwork
{
    /// <summary>The 8 RECTEC+ competence keys, in catalogue order.</summary>
    public static IReadOnlyList<string> CompetencyKeys => BadgeDesign.Keys;

    /// <summary>True when <paramref name="competencyKey"/> is one of the catalogue's competences.</summary>
    public static bool IsKnown(string competencyKey) => BadgeDesign.Keys.Contains(competencyKey);

    /// <summary>
    /// A standalone SVG 1.1 document, 256 x 256: basic shapes with solid fills and a title, no script,
    /// no external reference, no text to lay out.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown competence, or a level outside 1 to 4.</exception>
    public static string Svg(string competencyKey, int level) =>
        SvgWriter.Write(BadgeDesign.For(competencyKey, level), BadgeDesign.Size, BadgeDesign.TitleOf(competencyKey, level));

    /// <summary>A 256 x 256 RGBA PNG of the same design, anti-aliased, the same bytes on every call.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An unknown competence, or a level outside 1 to 4.</exception>
    public static byte[] Png(string competencyKey, int level) =>
        PngEncoder.Encode(BadgeDesign.Size, BadgeDesign.Size, Rasterizer.Render(BadgeDesign.For(competencyKey, level), BadgeDesign.Size));
}
