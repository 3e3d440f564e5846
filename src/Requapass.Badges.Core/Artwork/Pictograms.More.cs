namespace Requapass.Badges.Core.Artwork;

/// <summary>The second half of the pictograms: people hand in hand, handshake and signpost.</summary>
internal static partial class Pictograms
{
    /// <summary>Accompagner des publics: a grown-up walking hand in hand with a smaller person, a heart above.</summary>
    public static IEnumerable<Shape> HandInHand(Rgba c)
    {
        yield return Geometry.Fill(W, Heart(new(128, 60), 0.75));
        yield return new Circle(new(98, 66), 15, W);
        yield return new RoundedRect(80, 86, 36, 76, 14, W);
        yield return Geometry.Segment(c, 4, new(98, 126), new(98, 164));
        yield return new Circle(new(162, 94), 12, W);
        yield return new RoundedRect(148, 110, 28, 52, 11, W);
        yield return Geometry.Segment(c, 4, new(162, 136), new(162, 164));
        yield return Geometry.Stroke(c, 17, new(110, 98), new(130, 124), new(148, 118));
        yield return Geometry.Stroke(W, 9, new(110, 98), new(130, 124), new(148, 118));
    }

    /// <summary>The classic heart curve, <paramref name="scale"/> px per unit, centred on <paramref name="centre"/>.</summary>
    private static Pt[] Heart(Pt centre, double scale) =>
        [.. Enumerable.Range(0, 96).Select(i =>
        {
            var t = i * 2 * Math.PI / 96;
            var x = 16 * Math.Pow(Math.Sin(t), 3);
            var y = (13 * Math.Cos(t)) - (5 * Math.Cos(2 * t)) - (2 * Math.Cos(3 * t)) - Math.Cos(4 * t);
            return new Pt(centre.X + (x * scale), centre.Y - ((y + 2.5) * scale));
        })];

    /// <summary>Prise en compte des codes sociaux: two hands shaking.</summary>
    public static IEnumerable<Shape> Handshake(Rgba c)
    {
        yield return Geometry.Segment(W, 28, new(56, 150), new(90, 116));
        yield return Geometry.Segment(W, 28, new(200, 150), new(166, 116));
        yield return Geometry.Segment(c, 5, new(62, 114), new(88, 140));
        yield return Geometry.Segment(c, 5, new(194, 114), new(168, 140));
        yield return Geometry.Fill(W, Geometry.Ellipse(new(128, 112), 50, 24));
        foreach (var x in new[] { 106.0, 122, 138, 154 }) { yield return new Circle(new(x, 128), 9, W); }
        foreach (var x in new[] { 114.0, 130, 146 }) { yield return Geometry.Segment(c, 3, new(x, 118), new(x, 140)); }
        yield return Geometry.Stroke(c, 20, new(94, 102), new(124, 88));
        yield return Geometry.Stroke(W, 12, new(94, 102), new(124, 88));
    }

    /// <summary>Construire son parcours: a signpost with two boards pointing opposite ways.</summary>
    public static IEnumerable<Shape> Signpost(Rgba c)
    {
        yield return new RoundedRect(121, 52, 14, 106, 4, W);
        yield return Geometry.Fill(W, new(90, 64), new(164, 64), new(182, 81), new(164, 98), new(90, 98));
        yield return Geometry.Fill(W, new(166, 108), new(92, 108), new(74, 125), new(92, 142), new(166, 142));
        yield return Geometry.Fill(W, Geometry.Arc(new(128, 162), 44, 12, 180, 360, 32));
        yield return new Circle(new(128, 81), 3.5, c);
        yield return new Circle(new(128, 125), 3.5, c);
    }
}
