using System.Diagnostics;
using Requapass.Badges.ArtworkSheet;
using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

// Writes the 32 catalogue designs (<key>-<level>.png and .svg) and contact-sheet.png (8 rows =
// competences in catalogue order, 4 columns = levels, badges at half size) into the folder given as
// the first argument:
//   dotnet run --project tools/Requapass.Badges.ArtworkSheet -- docs/artwork
var folder = args.FirstOrDefault() ?? Path.Combine("docs", "artwork");
Directory.CreateDirectory(folder);
var keys = BadgeArtwork.CompetencyKeys;

var clock = Stopwatch.StartNew();
var pngs = keys.SelectMany(k => Enumerable.Range(1, 4).Select(l => (Key: k, Level: l, Png: BadgeArtwork.Png(k, l)))).ToList();
var elapsed = clock.Elapsed;

const int cell = 128, gap = 16;
var sheet = new Sheet(gap + (4 * (cell + gap)), gap + (keys.Count * (cell + gap)), (246, 245, 240));
foreach (var (key, level, png) in pngs)
{
    File.WriteAllBytes(Path.Combine(folder, $"{key}-{level}.png"), png);
    File.WriteAllText(Path.Combine(folder, $"{key}-{level}.svg"), BadgeArtwork.Svg(key, level));
    var row = keys.ToList().IndexOf(key);
    sheet.DrawHalfSize(PngPixels.Decode(png), gap + ((level - 1) * (cell + gap)), gap + (row * (cell + gap)));
}
File.WriteAllBytes(Path.Combine(folder, "contact-sheet.png"), PngEncoder.Encode(sheet.Width, sheet.Height, sheet.Pixels));

Console.WriteLine($"Rendered 32 PNG in {elapsed.TotalMilliseconds:0} ms; sizes {pngs.Min(p => p.Png.Length)} to {pngs.Max(p => p.Png.Length)} bytes.");
Console.WriteLine($"Wrote 32 PNG, 32 SVG and contact-sheet.png ({sheet.Width} x {sheet.Height}) to {folder}");
