using System.Globalization;

namespace Requapass.Badges.Core.Artwork;

/// <summary>An sRGB colour with straight (not premultiplied) alpha.</summary>
internal readonly record struct Rgba(byte R, byte G, byte B, byte A = 255)
{
    public static Rgba White { get; } = new(255, 255, 255);

    /// <summary>A colour from 0xRRGGBB.</summary>
    public static Rgba Hex(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    /// <summary>The colour mixed towards black by <paramref name="amount"/> (0 to 1).</summary>
    public Rgba Darker(double amount) =>
        new((byte)Math.Round(R * (1 - amount)), (byte)Math.Round(G * (1 - amount)), (byte)Math.Round(B * (1 - amount)), A);

    /// <summary>The same colour with another opacity.</summary>
    public Rgba WithAlpha(byte alpha) => this with { A = alpha };

    /// <summary>The opaque part as CSS hex, for SVG.</summary>
    public string Css => string.Create(CultureInfo.InvariantCulture, $"#{R:x2}{G:x2}{B:x2}");
}

/// <summary>A point on the 256 x 256 canvas, y pointing down (as in SVG and in the PNG rows).</summary>
internal readonly record struct Pt(double X, double Y)
{
    public static Pt operator +(Pt a, Pt b) => new(a.X + b.X, a.Y + b.Y);

    public static Pt operator -(Pt a, Pt b) => new(a.X - b.X, a.Y - b.Y);

    public static Pt operator *(Pt a, double k) => new(a.X * k, a.Y * k);

    public double Length => Math.Sqrt((X * X) + (Y * Y));
}

/// <summary>How a polygon with several contours decides what is inside (SVG fill-rule).</summary>
internal enum FillRule
{
    NonZero,
    EvenOdd,
}

/// <summary>
/// One primitive of a badge design. A design is a list of these, painted in order; the SVG writer and
/// the rasteriser both read that one list, so the PNG and the SVG of a class cannot drift apart.
/// </summary>
internal abstract record Shape(Rgba Colour)
{
    /// <summary>
    /// The shape with every number rounded to 1/100 px, the precision the SVG is written with: the
    /// rasteriser then draws exactly what the SVG says, and the last-bit differences of Math.Sin and
    /// Math.Cos between platforms cannot change a pixel.
    /// </summary>
    public Shape Snapped() => this switch
    {
        Circle c => c with { Centre = Snap(c.Centre), R = Snap(c.R) },
        Ring r => r with { Centre = Snap(r.Centre), R = Snap(r.R), Width = Snap(r.Width) },
        RoundedRect r => r with { X = Snap(r.X), Y = Snap(r.Y), W = Snap(r.W), H = Snap(r.H), Radius = Snap(r.Radius) },
        Polygon p => p with { Contours = [.. p.Contours.Select(c => (IReadOnlyList<Pt>)[.. c.Select(Snap)])] },
        _ => throw new InvalidOperationException($"Unknown shape {GetType().Name}."),
    };

    private static double Snap(double v) => Math.Round(v * 100) / 100;

    private static Pt Snap(Pt p) => new(Snap(p.X), Snap(p.Y));
}

/// <summary>A filled circle.</summary>
internal sealed record Circle(Pt Centre, double R, Rgba Colour) : Shape(Colour);

/// <summary>A circle outline: the stroke is centred on radius <c>R</c> and is <c>Width</c> wide.</summary>
internal sealed record Ring(Pt Centre, double R, double Width, Rgba Colour) : Shape(Colour);

/// <summary>A filled rectangle with round corners of radius <c>Radius</c>.</summary>
internal sealed record RoundedRect(double X, double Y, double W, double H, double Radius, Rgba Colour) : Shape(Colour);

/// <summary>A filled polygon of one or more closed contours (holes, unions) under a fill rule.</summary>
internal sealed record Polygon(IReadOnlyList<IReadOnlyList<Pt>> Contours, FillRule Rule, Rgba Colour) : Shape(Colour);
