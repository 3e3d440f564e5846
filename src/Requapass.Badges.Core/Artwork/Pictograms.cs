namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// The eight competence pictograms, drawn in white on the badge face, above the plate and less than
/// 85 px from the centre (the face has a radius of 100); cut-outs are painted in the face colour <c>c</c>.
/// </summary>
internal static partial class Pictograms
{
    private static readonly Rgba W = Rgba.White;

    /// <summary>Communication orale: a speech bubble with three dots.</summary>
    public static IEnumerable<Shape> SpeechBubble(Rgba c)
    {
        yield return new RoundedRect(68, 56, 120, 78, 26, W);
        yield return Geometry.Fill(W, new(88, 120), new(80, 158), new(120, 128));
        foreach (var x in new[] { 102.0, 128, 154 }) { yield return new Circle(new(x, 95), 8.5, c); }
    }

    /// <summary>Travail en équipe: three people side by side, the middle one in front.</summary>
    public static IEnumerable<Shape> Team(Rgba c)
    {
        foreach (var shape in Bust(84, 150, 0.85, 0, W)) { yield return shape; }
        foreach (var shape in Bust(172, 150, 0.85, 0, W)) { yield return shape; }
        foreach (var shape in Bust(128, 150, 1.1, 5, c)) { yield return shape; }
        foreach (var shape in Bust(128, 150, 1.1, 0, W)) { yield return shape; }
    }

    /// <summary>A head and rounded shoulders standing on <paramref name="bottom"/>, grown by <paramref name="grow"/> px.</summary>
    private static IEnumerable<Shape> Bust(double cx, double bottom, double scale, double grow, Rgba colour)
    {
        yield return new Circle(new(cx, bottom - (60 * scale)), (17 * scale) + grow, colour);
        yield return Geometry.Fill(colour, Geometry.Arc(new(cx, bottom), (32 * scale) + grow, (36 * scale) + grow, 180, 360, 32));
    }

    /// <summary>Prise en compte des règles: a clipboard with three ticked lines.</summary>
    public static IEnumerable<Shape> Checklist(Rgba c)
    {
        yield return new RoundedRect(82, 54, 92, 108, 12, W);
        yield return new RoundedRect(104, 48, 48, 20, 7, W);
        yield return new RoundedRect(114, 54, 28, 6, 3, c);
        foreach (var y in new[] { 86.0, 112, 138 })
        {
            yield return Geometry.Stroke(c, 6, new(96, y), new(102, y + 6), new(113, y - 6));
            yield return new RoundedRect(122, y - 4, 40, 8, 4, c);
        }
    }

    /// <summary>Organiser son activité: an alarm clock.</summary>
    public static IEnumerable<Shape> AlarmClock(Rgba c)
    {
        var centre = new Pt(128, 108);
        yield return new Circle(new(92, 70), 16, W);
        yield return new Circle(new(164, 70), 16, W);
        yield return Geometry.Stroke(W, 9, new(100, 142), new(88, 158));
        yield return Geometry.Stroke(W, 9, new(156, 142), new(168, 158));
        yield return new Circle(centre, 54, c);
        yield return new Circle(centre, 48, W);
        yield return new RoundedRect(125, 66, 6, 11, 3, c);
        yield return new RoundedRect(125, 139, 6, 11, 3, c);
        yield return new RoundedRect(86, 105, 11, 6, 3, c);
        yield return new RoundedRect(159, 105, 11, 6, 3, c);
        yield return Geometry.Stroke(c, 7, centre, new(128, 80));
        yield return Geometry.Stroke(c, 7, centre, new(148, 120));
    }

    /// <summary>Valoriser son expérience: a trophy cup.</summary>
    public static IEnumerable<Shape> Trophy(Rgba c)
    {
        yield return new Ring(new(92, 78), 17, 8, W);
        yield return new Ring(new(164, 78), 17, 8, W);
        yield return new RoundedRect(88, 54, 80, 12, 4, W);
        yield return Geometry.Fill(W, Geometry.Arc(new(128, 60), 37, 54, 0, 180, 40));
        yield return new RoundedRect(120, 106, 16, 30, 3, W);
        yield return new RoundedRect(102, 132, 52, 10, 3, W);
        yield return new RoundedRect(92, 144, 72, 16, 4, W);
    }
}
