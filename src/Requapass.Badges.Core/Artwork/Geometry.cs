namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// Builds polygons for the pictograms: ellipses, arcs, stars, and strokes turned into filled outlines
/// (each segment a quadrilateral, each joint and end a round cap), so neither the rasteriser nor the
/// SVG writer needs to know about strokes.
/// </summary>
internal static class Geometry
{
    /// <summary>One contour, filled with the non-zero rule.</summary>
    public static Polygon Fill(Rgba colour, params Pt[] points) => new([points], FillRule.NonZero, colour);

    /// <summary>Points along an elliptic arc, angles in degrees, clockwise on screen (y down), ends included.</summary>
    public static Pt[] Arc(Pt centre, double rx, double ry, double fromDegrees, double toDegrees, int segments)
    {
        var points = new Pt[segments + 1];
        for (var i = 0; i <= segments; i++)
        {
            var a = (fromDegrees + ((toDegrees - fromDegrees) * i / segments)) * Math.PI / 180;
            points[i] = new Pt(centre.X + (rx * Math.Cos(a)), centre.Y + (ry * Math.Sin(a)));
        }
        return points;
    }

    /// <summary>A closed ellipse as a polygon of <paramref name="segments"/> sides.</summary>
    public static Pt[] Ellipse(Pt centre, double rx, double ry, int segments = 64) =>
        Arc(centre, rx, ry, 0, 360, segments)[..segments];

    /// <summary>A star with <paramref name="points"/> tips, the first pointing up.</summary>
    public static Pt[] Star(Pt centre, double outer, double inner, int points = 5)
    {
        var result = new Pt[points * 2];
        for (var i = 0; i < result.Length; i++)
        {
            var r = i % 2 == 0 ? outer : inner;
            var a = (-Math.PI / 2) + (i * Math.PI / points);
            result[i] = new Pt(centre.X + (r * Math.Cos(a)), centre.Y + (r * Math.Sin(a)));
        }
        return result;
    }

    /// <summary>The points turned by <paramref name="degrees"/> (clockwise on screen) about <paramref name="pivot"/>.</summary>
    public static Pt[] Rotate(IEnumerable<Pt> points, Pt pivot, double degrees)
    {
        var (sin, cos) = Math.SinCos(degrees * Math.PI / 180);
        return [.. points.Select(p =>
        {
            var d = p - pivot;
            return new Pt(pivot.X + (d.X * cos) - (d.Y * sin), pivot.Y + (d.X * sin) + (d.Y * cos));
        })];
    }

    /// <summary>
    /// A polyline of the given width with round joins and caps, as one non-zero polygon: every piece is
    /// given the same orientation, so overlapping pieces add up instead of cancelling.
    /// </summary>
    public static Polygon Stroke(Rgba colour, double width, params Pt[] points)
    {
        var half = width / 2;
        var contours = new List<IReadOnlyList<Pt>>();
        for (var i = 0; i + 1 < points.Length; i++)
        {
            var (a, b) = (points[i], points[i + 1]);
            var d = b - a;
            var n = new Pt(-d.Y, d.X) * (half / d.Length);
            contours.Add(Oriented([a + n, b + n, b - n, a - n]));
        }
        var capSides = Math.Clamp((int)Math.Ceiling(half * 2), 12, 48);
        contours.AddRange(points.Select(p => Oriented(Ellipse(p, half, half, capSides))));
        return new Polygon(contours, FillRule.NonZero, colour);
    }

    /// <summary>A straight bar of the given width with square (butt) ends.</summary>
    public static Polygon Segment(Rgba colour, double width, Pt a, Pt b)
    {
        var d = b - a;
        var n = new Pt(-d.Y, d.X) * (width / 2 / d.Length);
        return Fill(colour, a + n, b + n, b - n, a - n);
    }

    /// <summary>Twice the signed area (shoelace): positive when the contour turns clockwise on screen.</summary>
    public static double SignedArea2(IReadOnlyList<Pt> contour)
    {
        var sum = 0.0;
        for (var i = 0; i < contour.Count; i++)
        {
            var (a, b) = (contour[i], contour[(i + 1) % contour.Count]);
            sum += (a.X * b.Y) - (b.X * a.Y);
        }
        return sum;
    }

    /// <summary>The contour, reversed if needed so that it turns clockwise on screen.</summary>
    public static Pt[] Oriented(Pt[] contour) => SignedArea2(contour) >= 0 ? contour : [.. contour.Reverse()];
}
