using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Api.Startup;

/// <summary>Interim placeholder images for the catalogue: a disc in the competence's colour with one ring per level.</summary>
public static class CatalogueArtwork
{
    private static readonly string[] Keys =
    [
        "communication_orale", "travail_en_equipe", "prise_en_compte_des_regles", "organiser_son_activite",
        "valoriser_son_experience", "accompagner_des_publics", "prise_en_compte_des_codes_sociaux", "construire_son_parcours",
    ];

    private static readonly (byte R, byte G, byte B)[] Colours =
    [
        (0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e), (0x2c, 0xa0, 0x2c), (0xd6, 0x27, 0x28),
        (0x94, 0x67, 0xbd), (0x8c, 0x56, 0x4b), (0xe3, 0x77, 0xc2), (0x17, 0xbe, 0xcf),
    ];

    public static byte[] Png(string competency, int level)
    {
        const int size = 256;
        var (r, g, b) = Colours[Math.Max(0, Array.IndexOf(Keys, competency))];
        var pixels = new byte[size * size * 4];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var d = Math.Sqrt(Math.Pow(x - 127.5, 2) + Math.Pow(y - 127.5, 2));
                if (d > 124) { continue; }
                var ring = d > 124 - (level * 10) && ((int)(124 - d) / 5) % 2 == 0;
                var i = (y * size + x) * 4;
                (pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]) = ring ? ((byte)255, (byte)255, (byte)255, (byte)255) : (r, g, b, (byte)255);
            }
        }
        return PngEncoder.Encode(size, size, pixels);
    }
}
