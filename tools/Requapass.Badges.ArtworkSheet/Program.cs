using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

// Writes the 32 catalogue designs and a contact sheet (8 rows = competences, 4 columns = levels)
// into the folder given as the first argument (default docs/artwork).
//   dotnet run --project tools/Requapass.Badges.ArtworkSheet -- docs/artwork
var folder = args.FirstOrDefault() ?? Path.Combine("docs", "artwork");
Directory.CreateDirectory(folder);
const int cell = 128, gap = 16, size = BadgeArtwork.Size;
var keys = BadgeArtwork.CompetencyKeys;
var width = gap + (4 * (cell + gap));
var height = gap + (keys.Count * (cell + gap));
var sheet = new byte[width * height * 4];
for (var i = 0; i < sheet.Length; i += 4) { (sheet[i], sheet[i + 1], sheet[i + 2], sheet[i + 3]) = (246, 246, 243, 255); }

for (var row = 0; row < keys.Count; row++)
{
    for (var level = 1; level <= 4; level++)
    {
        var png = BadgeArtwork.Png(keys[row], level);
        File.WriteAllBytes(Path.Combine(folder, $"{keys[row]}-{level}.png"), png);
        File.WriteAllText(Path.Combine(folder, $"{keys[row]}-{level}.svg"), BadgeArtwork.Svg(keys[row], level));
        var pixels = Downscale(Rgba(keys[row], level));
        Blit(sheet, width, pixels, gap + ((level - 1) * (cell + gap)), gap + (row * (cell + gap)));
    }
}
File.WriteAllBytes(Path.Combine(folder, "contact-sheet.png"), PngEncoder.Encode(width, height, sheet));
Console.WriteLine($"Wrote 32 PNG, 32 SVG and contact-sheet.png ({width}x{height}) to {folder}");

// The sheet shows each badge at half size, averaged 2x2, over the sheet's background.
static byte[] Rgba(string key, int level) => BadgeArtwork.RenderRgba(key, level);

static byte[] Downscale(byte[] rgba)
{
    var output = new byte[cell * cell * 4];
    for (var y = 0; y < cell; y++)
    {
        for (var x = 0; x < cell; x++)
        {
            for (var c = 0; c < 4; c++)
            {
                var sum = 0;
                for (var dy = 0; dy < 2; dy++) { for (var dx = 0; dx < 2; dx++) { sum += rgba[((((y * 2) + dy) * size) + (x * 2) + dx) * 4 + c]; } }
                output[((y * cell) + x) * 4 + c] = (byte)(sum / 4);
            }
        }
    }
    return output;
}

static void Blit(byte[] sheet, int sheetWidth, byte[] pixels, int left, int top)
{
    for (var y = 0; y < cell; y++)
    {
        for (var x = 0; x < cell; x++)
        {
            var s = ((y * cell) + x) * 4;
            var d = (((top + y) * sheetWidth) + left + x) * 4;
            var a = pixels[s + 3] / 255.0;
            for (var c = 0; c < 3; c++) { sheet[d + c] = (byte)((pixels[s + c] * a) + (sheet[d + c] * (1 - a))); }
        }
    }
}
