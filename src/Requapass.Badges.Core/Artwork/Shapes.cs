using System.Globalization;

namespace Requapass.Badges.Core.Artwork;

/// <summary>An sRGB colour with alpha.</summary>
internal readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    public static Rgba Hex(string hex) => new(
        byte.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
        byte.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

    public string Css => $"#{R:x2}{G:x2}{B:x2}";

    /// <summary>The colour mixed towards black by <paramref name="amount"/> (0 to 1).</summary>
    public Rgba Darker(double amount) => new((byte)(R * (1 - amount)), (byte)(G * (1 - amount)), (byte)(B * (1 - amount)), A);
}

/// <summary>
/// A badge design is a list of these, drawn in order. The SVG writer and the rasteriser both read the
/// same list, so the PNG and the SVG of a class cannot drift apart.
/// </summary>
internal abstract record Shape(Rgba Color);

/// <summary>A filled circle.</summary>
internal sealed record Disc(double Cx, double Cy, double R, Rgba Color) : Shape(Color);

/// <summary>A circle outline: centre radius <c>R</c>, stroke <c>Width</c>.</summary>
internal sealed record Ring(double Cx, double Cy, double R, double Width, Rgba Color) : Shape(Color);

/// <summary>A filled polygon (even-odd rule), in pixels of the 256 x 256 canvas.</summary>
internal sealed record Poly(IReadOnlyList<(double X, double Y)> Points, Rgba Color) : Shape(Color)
{
    public static Poly Rect(double x, double y, double w, double h, Rgba color) =>
        new([(x, y), (x + w, y), (x + w, y + h), (x, y + h)], color);

    /// <summary>An ellipse as a 72-sided polygon: fine enough that the edge is smooth at 256 px.</summary>
    public static Poly Ellipse(double cx, double cy, double rx, double ry, Rgba color) =>
        new([.. Enumerable.Range(0, 72).Select(i => (cx + rx * Math.Cos(i * Math.PI / 36), cy + ry * Math.Sin(i * Math.PI / 36)))], color);

    /// <summary>A thick line segment as a quadrilateral.</summary>
    public static Poly Line(double x1, double y1, double x2, double y2, double width, Rgba color)
    {
        var (dx, dy) = (x2 - x1, y2 - y1);
        var length = Math.Sqrt(dx * dx + dy * dy);
        var (nx, ny) = (-dy / length * width / 2, dx / length * width / 2);
        return new([(x1 + nx, y1 + ny), (x2 + nx, y2 + ny), (x2 - nx, y2 - ny), (x1 - nx, y1 - ny)], color);
    }
}
