namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// A small anti-aliased rasteriser for <see cref="Shape"/> lists: circles by analytic coverage (distance
/// to the edge), polygons by scanline fill on a 4 x 4 subsample grid. Composites with "source over".
/// </summary>
internal static class Rasterizer
{
    private const int Sub = 4;

    public static byte[] Render(IReadOnlyList<Shape> shapes, int size)
    {
        var color = new float[size * size * 4]; // premultiplied RGBA, 0..1
        var coverage = new float[size * size];
        foreach (var shape in shapes)
        {
            Array.Clear(coverage);
            switch (shape)
            {
                case Disc d: Circle(coverage, size, d.Cx, d.Cy, d.R, 0); break;
                case Ring r: Circle(coverage, size, r.Cx, r.Cy, r.R + r.Width / 2, r.R - r.Width / 2); break;
                case Poly p: Polygon(coverage, size, p.Points); break;
            }
            Composite(color, coverage, shape.Color);
        }
        var rgba = new byte[size * size * 4];
        for (var i = 0; i < size * size; i++)
        {
            var a = color[i * 4 + 3];
            if (a <= 0) { continue; }
            for (var c = 0; c < 3; c++) { rgba[i * 4 + c] = (byte)Math.Round(Math.Clamp(color[i * 4 + c] / a, 0, 1) * 255); }
            rgba[i * 4 + 3] = (byte)Math.Round(Math.Clamp(a, 0, 1) * 255);
        }
        return rgba;
    }

    /// <summary>Coverage of an annulus (inner 0 for a disc): the pixel's distance to each edge, clamped to one pixel.</summary>
    private static void Circle(float[] coverage, int size, double cx, double cy, double outer, double inner)
    {
        var y0 = Math.Max(0, (int)(cy - outer - 1));
        var y1 = Math.Min(size - 1, (int)(cy + outer + 1));
        for (var y = y0; y <= y1; y++)
        {
            for (var x = Math.Max(0, (int)(cx - outer - 1)); x <= Math.Min(size - 1, (int)(cx + outer + 1)); x++)
            {
                var d = Math.Sqrt(Math.Pow(x + 0.5 - cx, 2) + Math.Pow(y + 0.5 - cy, 2));
                var a = Math.Clamp(outer - d + 0.5, 0, 1);
                if (inner > 0) { a = Math.Min(a, Math.Clamp(d - inner + 0.5, 0, 1)); }
                coverage[y * size + x] = (float)a;
            }
        }
    }

    /// <summary>Even-odd scanline fill: each pixel gets the share of its 16 subsamples inside.</summary>
    private static void Polygon(float[] coverage, int size, IReadOnlyList<(double X, double Y)> points)
    {
        var crossings = new List<double>();
        for (var sy = 0; sy < size * Sub; sy++)
        {
            var y = (sy + 0.5) / Sub;
            crossings.Clear();
            for (var i = 0; i < points.Count; i++)
            {
                var (a, b) = (points[i], points[(i + 1) % points.Count]);
                if ((a.Y <= y && b.Y > y) || (b.Y <= y && a.Y > y))
                {
                    crossings.Add(a.X + (y - a.Y) / (b.Y - a.Y) * (b.X - a.X));
                }
            }
            crossings.Sort();
            var row = sy / Sub;
            for (var k = 0; k + 1 < crossings.Count; k += 2)
            {
                // Subsample columns whose centres lie inside [left, right).
                var from = Math.Max(0, (int)Math.Ceiling(crossings[k] * Sub - 0.5));
                var to = Math.Min(size * Sub - 1, (int)Math.Ceiling(crossings[k + 1] * Sub - 0.5) - 1);
                for (var sx = from; sx <= to; sx++) { coverage[row * size + sx / Sub] += 1f / (Sub * Sub); }
            }
        }
    }

    private static void Composite(float[] color, float[] coverage, Rgba c)
    {
        var (r, g, b, alpha) = (c.R / 255f, c.G / 255f, c.B / 255f, c.A / 255f);
        for (var i = 0; i < coverage.Length; i++)
        {
            var a = Math.Min(coverage[i], 1f) * alpha;
            if (a <= 0) { continue; }
            var keep = 1 - a;
            color[i * 4] = r * a + color[i * 4] * keep;
            color[i * 4 + 1] = g * a + color[i * 4 + 1] * keep;
            color[i * 4 + 2] = b * a + color[i * 4 + 2] * keep;
            color[i * 4 + 3] = a + color[i * 4 + 3] * keep;
        }
    }
}
