namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// A small anti-aliased rasteriser for <see cref="Shape"/> lists. Circles, rings and rounded rectangles
/// get analytic coverage from their signed distance (a pixel half inside is half covered); polygons
/// are filled on 8 sub-scanlines per pixel row, with exact horizontal coverage along each span. Shapes
/// are composited in order with "source over", in premultiplied floating point.
/// </summary>
internal sealed class Rasterizer
{
    /// <summary>Sub-scanlines per pixel row for polygons.</summary>
    public const int SubRows = 8;

    private readonly int width;
    private readonly int height;
    private readonly float[] colour; // premultiplied RGBA, 0 to 1
    private readonly float[] cover;  // coverage of the shape being painted, 0 to 1
    private readonly List<(int Row, double X, int Dir)> crossings = [];

    public Rasterizer(int width, int height)
    {
        (this.width, this.height) = (width, height);
        colour = new float[width * height * 4];
        cover = new float[width * height];
    }

    /// <summary>Paints the shapes in order on a transparent square canvas; returns straight RGBA bytes.</summary>
    public static byte[] Render(IEnumerable<Shape> shapes, int size)
    {
        var canvas = new Rasterizer(size, size);
        foreach (var shape in shapes) { canvas.Paint(shape); }
        return canvas.ToRgba();
    }

    public void Paint(Shape shape)
    {
        var box = shape switch
        {
            Circle c => Round(c.Centre, c.R, double.NegativeInfinity),
            Ring r => Round(r.Centre, r.R + (r.Width / 2), r.R - (r.Width / 2)),
            RoundedRect r => Rect(r),
            Polygon p => Fill(p),
            _ => throw new ArgumentException($"Unknown shape {shape.GetType().Name}.", nameof(shape)),
        };
        Composite(box, shape.Colour);
    }

    /// <summary>Straight (not premultiplied) 8-bit RGBA, rows top to bottom.</summary>
    public byte[] ToRgba()
    {
        var rgba = new byte[width * height * 4];
        for (var i = 0; i < rgba.Length; i += 4)
        {
            var a = colour[i + 3];
            if (a <= 0) { continue; }
            for (var c = 0; c < 3; c++) { rgba[i + c] = ToByte(colour[i + c] / a); }
            rgba[i + 3] = ToByte(a);
        }
        return rgba;
    }

    private static byte ToByte(float v) => (byte)Math.Round(Math.Clamp(v, 0f, 1f) * 255f);

    /// <summary>A disc (no inner radius) or an annulus: coverage from the distance to each edge.</summary>
    private Box Round(Pt centre, double outer, double inner)
    {
        var box = Box.Around(centre.X - outer, centre.Y - outer, centre.X + outer, centre.Y + outer, width, height);
        for (var y = box.Y0; y < box.Y1; y++)
        {
            var dy = y + 0.5 - centre.Y;
            for (var x = box.X0; x < box.X1; x++)
            {
                var dx = x + 0.5 - centre.X;
                var d = Math.Sqrt((dx * dx) + (dy * dy));
                var a = Math.Min(Math.Clamp(outer - d + 0.5, 0, 1), Math.Clamp(d - inner + 0.5, 0, 1));
                cover[(y * width) + x] = (float)a;
            }
        }
        return box;
    }

    /// <summary>A rounded rectangle from its signed distance function.</summary>
    private Box Rect(RoundedRect r)
    {
        var (hw, hh) = (r.W / 2, r.H / 2);
        var (cx, cy) = (r.X + hw, r.Y + hh);
        var radius = Math.Min(r.Radius, Math.Min(hw, hh));
        var box = Box.Around(r.X, r.Y, r.X + r.W, r.Y + r.H, width, height);
        for (var y = box.Y0; y < box.Y1; y++)
        {
            var qy = Math.Abs(y + 0.5 - cy) - (hh - radius);
            for (var x = box.X0; x < box.X1; x++)
            {
                var qx = Math.Abs(x + 0.5 - cx) - (hw - radius);
                var (ox, oy) = (Math.Max(qx, 0), Math.Max(qy, 0));
                var outside = Math.Sqrt((ox * ox) + (oy * oy));
                var distance = outside + Math.Min(Math.Max(qx, qy), 0) - radius;
                cover[(y * width) + x] = (float)Math.Clamp(0.5 - distance, 0, 1);
            }
        }
        return box;
    }

    /// <summary>Scanline fill: crossings of every edge with every sub-scanline, sorted, then spans by the fill rule.</summary>
    private Box Fill(Polygon polygon)
    {
        var all = polygon.Contours.SelectMany(c => c).ToArray();
        var box = Box.Around(all.Min(p => p.X), all.Min(p => p.Y), all.Max(p => p.X), all.Max(p => p.Y), width, height);
        crossings.Clear();
        foreach (var contour in polygon.Contours)
        {
            for (var i = 0; i < contour.Count; i++)
            {
                var (a, b) = (contour[i], contour[(i + 1) % contour.Count]);
                if (a.Y == b.Y) { continue; }
                var dir = b.Y > a.Y ? 1 : -1;
                // Sub-scanline s samples y = (s + 0.5) / SubRows; an edge owns [top, bottom).
                var first = Math.Max(0, (int)Math.Ceiling((Math.Min(a.Y, b.Y) * SubRows) - 0.5));
                var last = Math.Min((height * SubRows) - 1, (int)Math.Ceiling((Math.Max(a.Y, b.Y) * SubRows) - 0.5) - 1);
                var slope = (b.X - a.X) / (b.Y - a.Y);
                for (var s = first; s <= last; s++)
                {
                    crossings.Add((s, a.X + ((((s + 0.5) / SubRows) - a.Y) * slope), dir));
                }
            }
        }
        crossings.Sort();
        var (winding, start) = (0, 0.0);
        for (var i = 0; i < crossings.Count; i++)
        {
            var (row, x, dir) = crossings[i];
            if (i == 0 || crossings[i - 1].Row != row) { winding = 0; }
            var wasInside = Inside(winding, polygon.Rule);
            winding += dir;
            var isInside = Inside(winding, polygon.Rule);
            if (!wasInside && isInside) { start = x; }
            if (wasInside && !isInside) { Span(row / SubRows, start, x, 1f / SubRows); }
        }
        return box;
    }

    private static bool Inside(int winding, FillRule rule) => rule == FillRule.NonZero ? winding != 0 : (winding & 1) != 0;

    /// <summary>Adds one sub-scanline's span to the pixel row, with the fractional pixels at both ends.</summary>
    private void Span(int y, double from, double to, float weight)
    {
        (from, to) = (Math.Clamp(from, 0, width), Math.Clamp(to, 0, width));
        if (to <= from) { return; }
        var (left, right, row) = ((int)from, (int)to, y * width);
        if (left == right)
        {
            cover[row + left] += (float)(to - from) * weight;
            return;
        }
        cover[row + left] += (float)(left + 1 - from) * weight;
        for (var x = left + 1; x < right; x++) { cover[row + x] += weight; }
        if (right < width) { cover[row + right] += (float)(to - right) * weight; }
    }

    /// <summary>Paints the covered pixels of the box with the colour ("source over"), then clears the coverage.</summary>
    private void Composite(Box box, Rgba c)
    {
        var (r, g, b, alpha) = (c.R / 255f, c.G / 255f, c.B / 255f, c.A / 255f);
        for (var y = box.Y0; y < box.Y1; y++)
        {
            for (var x = box.X0; x < box.X1; x++)
            {
                var p = (y * width) + x;
                var a = Math.Min(cover[p], 1f) * alpha;
                cover[p] = 0;
                if (a <= 0) { continue; }
                var keep = 1 - a;
                var i = p * 4;
                colour[i] = (r * a) + (colour[i] * keep);
                colour[i + 1] = (g * a) + (colour[i + 1] * keep);
                colour[i + 2] = (b * a) + (colour[i + 2] * keep);
                colour[i + 3] = a + (colour[i + 3] * keep);
            }
        }
    }

    /// <summary>A pixel rectangle, end exclusive, clipped to the canvas.</summary>
    private readonly record struct Box(int X0, int Y0, int X1, int Y1)
    {
        public static Box Around(double left, double top, double right, double bottom, int width, int height) => new(
            Math.Clamp((int)Math.Floor(left) - 1, 0, width), Math.Clamp((int)Math.Floor(top) - 1, 0, height),
            Math.Clamp((int)Math.Ceiling(right) + 1, 0, width), Math.Clamp((int)Math.Ceiling(bottom) + 1, 0, height));
    }
}
