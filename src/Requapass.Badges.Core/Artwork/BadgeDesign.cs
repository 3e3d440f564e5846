namespace Requapass.Badges.Core.Artwork;

/// <summary>
/// The 32 catalogue designs on a 256 x 256 canvas. Every badge is a disc in the competence's colour
/// with a darker rim and a white pictogram for the competence; the level is shown twice, as 1 to 4
/// white stars on a darker plate at the bottom and as 1 to 4 thin rings engraved in the rim.
/// </summary>
internal static class BadgeDesign
{
    public const int Size = 256;
    public const double RimRadius = 124;
    public const double FaceRadius = 100;
    public const double PlateTop = 166;

    public static readonly Pt Centre = new(128, 128);

    /// <summary>A point where every design shows its plain competence colour (tests read the PNG there).</summary>
    public static readonly Pt PlainPoint = new(40, 120);

    // Hues far apart on the wheel and in lightness, after the Okabe-Ito palette, each dark enough for
    // a white pictogram to keep a contrast ratio of 4.5:1 or more. The pictogram, not the colour,
    // carries the meaning, so colour-blind readers lose nothing.
    private static readonly Competence[] Competences =
    [
        new("communication_orale", "Communication orale", Rgba.Hex(0x1763B8), Pictograms.SpeechBubble),
        new("travail_en_equipe", "Travail en équipe", Rgba.Hex(0xB45300), Pictograms.Team),
        new("prise_en_compte_des_regles", "Prise en compte des règles", Rgba.Hex(0x2E7D32), Pictograms.Checklist),
        new("organiser_son_activite", "Organiser son activité", Rgba.Hex(0x6039B0), Pictograms.AlarmClock),
        new("valoriser_son_experience", "Valoriser son expérience", Rgba.Hex(0x8A6500), Pictograms.Trophy),
        new("accompagner_des_publics", "Accompagner des publics", Rgba.Hex(0xB0235F), Pictograms.HandInHand),
        new("prise_en_compte_des_codes_sociaux", "Prise en compte des codes sociaux", Rgba.Hex(0x00727E), Pictograms.Handshake),
        new("construire_son_parcours", "Construire son parcours", Rgba.Hex(0x3F4C5A), Pictograms.Signpost),
    ];

    public static IReadOnlyList<string> Keys { get; } = [.. Competences.Select(c => c.Key)];

    /// <summary>The competence's colour: the badge face.</summary>
    public static Rgba ColourOf(string competencyKey) => Find(competencyKey).Colour;

    /// <summary>"Communication orale – Niveau 2", as the catalogue names the class: the SVG title.</summary>
    public static string TitleOf(string competencyKey, int level) => $"{Find(competencyKey).Name} – Niveau {level}";

    /// <summary>The competence's pictogram alone, as it is painted on the face.</summary>
    public static IEnumerable<Shape> PictogramOf(string competencyKey)
    {
        var competence = Find(competencyKey);
        return competence.Pictogram(competence.Colour);
    }

    /// <summary>The darker plate that carries the stars.</summary>
    public static Rgba PlateColourOf(string competencyKey) => ColourOf(competencyKey).Darker(0.3);

    /// <summary>The design of one class: the shapes to paint, in order, bottom first.</summary>
    public static IReadOnlyList<Shape> For(string competencyKey, int level)
    {
        var competence = Find(competencyKey);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 4);
        var face = competence.Colour;
        var shapes = new List<Shape>
        {
            new Circle(Centre, RimRadius, face.Darker(0.45)),
            new Circle(Centre, FaceRadius, face),
            Geometry.Fill(PlateColourOf(competencyKey), Plate()),
        };
        for (var i = 0; i < level; i++)
        {
            shapes.Add(new Ring(Centre, FaceRadius + 4.5 + (i * 4.75), 2.2, Rgba.White.WithAlpha(190)));
        }
        shapes.AddRange(PictogramOf(competencyKey));
        shapes.AddRange(Stars(level));
        return [.. shapes.Select(s => s.Snapped())];
    }

    /// <summary>Where the level's stars stand: 1 to 4 in a row, centred on the plate.</summary>
    public static IReadOnlyList<Pt> StarCentres(int level)
    {
        const double spacing = 33, y = 194;
        var first = Centre.X - ((level - 1) * spacing / 2);
        return [.. Enumerable.Range(0, level).Select(i => new Pt(first + (i * spacing), y))];
    }

    /// <summary>The bottom of the face below <see cref="PlateTop"/>: an arc closed by a chord.</summary>
    private static Pt[] Plate()
    {
        var half = Math.Asin((PlateTop - Centre.Y) / FaceRadius) * 180 / Math.PI;
        return Geometry.Arc(Centre, FaceRadius, FaceRadius, half, 180 - half, 48);
    }

    private static IEnumerable<Shape> Stars(int level) =>
        StarCentres(level).Select(centre => Geometry.Fill(Rgba.White, Geometry.Star(centre, 15.5, 6.7)));

    private static Competence Find(string competencyKey) =>
        Array.Find(Competences, c => c.Key == competencyKey)
        ?? throw new ArgumentOutOfRangeException(nameof(competencyKey), competencyKey, "Not a RECTEC+ competence of the catalogue.");

    private sealed record Competence(string Key, string Name, Rgba Colour, Func<Rgba, IEnumerable<Shape>> Pictogram);
}
