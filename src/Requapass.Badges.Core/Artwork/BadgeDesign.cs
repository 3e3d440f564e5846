namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// The 32 catalogue designs on a 256 x 256 canvas: a disc in the competence's colour with a darker rim,
/// a white pictogram for the competence, and the level as 1 to 4 white dots under it plus as many thin
/// rings inside the rim, so the level reads at a glance even at small sizes.
/// </summary>
internal static class BadgeDesign
{
    private static readonly Rgba White = new(255, 255, 255);

    // Okabe-Ito hues (distinguishable with the common colour-vision deficiencies), darkened where needed
    // so that a white pictogram keeps enough contrast.
    private static readonly (string Key, Rgba Colour, Func<Rgba, IEnumerable<Shape>> Pictogram)[] Competences =
    [
        ("communication_orale", Rgba.Hex("#0072B2"), Speech),
        ("travail_en_equipe", Rgba.Hex("#C77C00"), Team),
        ("prise_en_compte_des_regles", Rgba.Hex("#007D5C"), Rules),
        ("organiser_son_activite", Rgba.Hex("#C24F00"), Clock),
        ("valoriser_son_experience", Rgba.Hex("#A8457F"), Star),
        ("accompagner_des_publics", Rgba.Hex("#5A4A9C"), Heart),
        ("prise_en_compte_des_codes_sociaux", Rgba.Hex("#8A7A00"), Links),
        ("construire_son_parcours", Rgba.Hex("#44505C"), Path),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. Competences.Select(c => c.Key)];

    public static IReadOnlyList<Shape> For(string competencyKey, int level)
    {
        var index = Array.FindIndex(Competences, c => c.Key == competencyKey);
        if (index < 0) { throw new ArgumentOutOfRangeException(nameof(competencyKey), competencyKey, "Not a RECTEC+ competence of the catalogue."); }
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 4);
        var (_, colour, pictogram) = Competences[index];
        var shapes = new List<Shape>
        {
            new Disc(128, 128, 124, colour.Darker(0.35)),
            new Disc(128, 128, 112, colour),
        };
        for (var i = 0; i < level; i++)
        {
            shapes.Add(new Ring(128, 128, 105 - (i * 7), 2.5, new Rgba(255, 255, 255, 210)));
        }
        shapes.AddRange(pictogram(colour));
        var spacing = 22.0;
        var first = 128 - ((level - 1) * spacing / 2);
        for (var i = 0; i < level; i++)
        {
            shapes.Add(new Disc(first + (i * spacing), 182, 7.5, White));
        }
        return shapes;
    }

    private static IEnumerable<Shape> Speech(Rgba c)
    {
        yield return Poly.Ellipse(128, 108, 50, 36, White);
        yield return new Poly([(100, 132), (92, 158), (122, 140)], White);
        foreach (var x in new[] { 108.0, 128, 148 }) { yield return new Disc(x, 108, 6.5, c); }
    }

    private static IEnumerable<Shape> Team(Rgba c)
    {
        foreach (var (x, y, s) in new[] { (92.0, 104.0, 0.8), (164.0, 104.0, 0.8), (128.0, 96.0, 1.0) })
        {
            yield return new Disc(x, y, 13 * s + 2, c);
            yield return new Disc(x, y, 13 * s, White);
            yield return new Poly([.. Enumerable.Range(0, 19).Select(i => (x + 26 * s * Math.Cos(Math.PI + i * Math.PI / 18), y + 50 * s + 22 * s * Math.Sin(Math.PI + i * Math.PI / 18)))], White);
        }
    }

    private static IEnumerable<Shape> Rules(Rgba c)
    {
        yield return new Poly([(128, 62), (172, 78), (168, 120), (128, 152), (88, 120), (84, 78)], White);
        yield return new Poly([(104, 106), (114, 96), (124, 108), (148, 82), (158, 92), (124, 128)], c);
    }

    private static IEnumerable<Shape> Clock(Rgba c)
    {
        yield return new Disc(128, 108, 46, White);
        yield return new Ring(128, 108, 38, 3, c);
        yield return Poly.Line(128, 108, 128, 80, 7, c);
        yield return Poly.Line(128, 108, 150, 118, 7, c);
        yield return new Disc(128, 108, 6, c);
    }

    private static IEnumerable<Shape> Star(Rgba c)
    {
        yield return new Poly([.. Enumerable.Range(0, 10).Select(i =>
        {
            var r = i % 2 == 0 ? 52.0 : 22.0;
            var a = -Math.PI / 2 + i * Math.PI / 5;
            return (128 + r * Math.Cos(a), 108 + r * Math.Sin(a));
        })], White);
    }

    private static IEnumerable<Shape> Heart(Rgba c)
    {
        // The classic heart curve, scaled to the pictogram box.
        yield return new Poly([.. Enumerable.Range(0, 90).Select(i =>
        {
            var t = i * 2 * Math.PI / 90;
            var x = 16 * Math.Pow(Math.Sin(t), 3);
            var y = 13 * Math.Cos(t) - 5 * Math.Cos(2 * t) - 2 * Math.Cos(3 * t) - Math.Cos(4 * t);
            return (128 + x * 3.1, 106 - y * 3.1);
        })], White);
        yield return Poly.Line(108, 108, 148, 108, 7, c);
        yield return Poly.Line(128, 88, 128, 128, 7, c);
    }

    private static IEnumerable<Shape> Links(Rgba c)
    {
        yield return new Ring(106, 108, 30, 11, White);
        yield return new Ring(150, 108, 30, 11, White);
        yield return new Disc(128, 108, 4, c);
    }

    private static IEnumerable<Shape> Path(Rgba c)
    {
        yield return new Poly([(76, 150), (76, 134), (100, 134), (100, 116), (124, 116), (124, 98), (148, 98), (148, 150)], White);
        yield return Poly.Line(112, 86, 158, 64, 8, White);
        yield return new Poly([(170, 56), (150, 54), (160, 76)], White);
    }
}
