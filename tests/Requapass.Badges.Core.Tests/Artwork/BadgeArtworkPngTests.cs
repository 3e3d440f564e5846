using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Artwork;

public sealed class BadgeArtworkPngTests
{
    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Png_ForEveryClass_Is256SquareRgbaAndUnder50KB(string key, int level)
    {
        var png = BadgeArtwork.Png(key, level);
        var decoded = DecodedPng.Read(png);

        Assert.That(png[..8], Is.EqualTo(PngEncoder.Signature.ToArray()), "PNG signature");
        Assert.That((decoded.Width, decoded.Height), Is.EqualTo((256, 256)));
        Assert.That((decoded.BitDepth, decoded.ColourType), Is.EqualTo(((byte)8, (byte)6)), "8-bit RGBA");
        Assert.That(png, Has.Length.LessThan(50 * 1024));
        Assert.That(PngImage.Validate(png), Is.EqualTo(ImageCheck.Pass), "chunk structure and CRCs");
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Png_ForEveryClass_IsTheSameBytesOnEveryCall(string key, int level)
    {
        Assert.That(BadgeArtwork.Png(key, level), Is.EqualTo(BadgeArtwork.Png(key, level)));
    }

    [Test]
    public void Png_ForAll32Classes_ArePairwiseDistinct()
    {
        var pngs = Classes.All.Select(c => Convert.ToHexString(BadgeArtwork.Png(c.Key, c.Level))).ToList();

        Assert.That(pngs, Has.Count.EqualTo(32));
        Assert.That(pngs, Is.Unique);
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Png_DecodedBack_HasTheCompetenceColourWhereTheDesignIsPlain(string key, int level)
    {
        var pixels = DecodedPng.Read(BadgeArtwork.Png(key, level));
        var colour = BadgeDesign.ColourOf(key);
        var (px, py) = ((int)BadgeDesign.PlainPoint.X, (int)BadgeDesign.PlainPoint.Y);

        for (var y = py - 3; y <= py + 3; y++)
        {
            for (var x = px - 3; x <= px + 3; x++)
            {
                Assert.That(pixels[x, y], Is.EqualTo((colour.R, colour.G, colour.B, (byte)255)), $"pixel ({x}, {y})");
            }
        }
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Png_DecodedBack_IsTransparentOutsideTheBadge(string key, int level)
    {
        var pixels = DecodedPng.Read(BadgeArtwork.Png(key, level));

        foreach (var (x, y) in new[] { (0, 0), (255, 0), (0, 255), (255, 255), (128, 1), (1, 128), (30, 30), (225, 225) })
        {
            Assert.That(pixels[x, y].A, Is.Zero, $"pixel ({x}, {y})");
        }
        Assert.That(pixels[128, 8].A, Is.EqualTo(255), "the rim, just inside the edge");
    }

    [TestCaseSource(typeof(Classes), nameof(Classes.Cases))]
    public void Png_DecodedBack_ShowsOneWhiteStarPerLevel(string key, int level)
    {
        var pixels = DecodedPng.Read(BadgeArtwork.Png(key, level));
        var plate = BadgeDesign.PlateColourOf(key);
        var stars = BadgeDesign.StarCentres(level);
        var empty = Enumerable.Range(1, 4).SelectMany(BadgeDesign.StarCentres)
            .Where(p => stars.All(s => Math.Abs(s.X - p.X) > 20));

        foreach (var star in stars)
        {
            Assert.That(pixels[(int)star.X, (int)star.Y], Is.EqualTo(((byte)255, (byte)255, (byte)255, (byte)255)), $"a star at {star}");
        }
        foreach (var spot in empty)
        {
            Assert.That(pixels[(int)spot.X, (int)spot.Y], Is.EqualTo((plate.R, plate.G, plate.B, (byte)255)), $"no star at {spot}");
        }
    }
}
