using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Requapass.Badges.Core.Artwork;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Artwork;

public sealed class ArtworkTests
{
    private static IEnumerable<(string Key, int Level)> All() =>
        BadgeArtwork.CompetencyKeys.SelectMany(k => Enumerable.Range(1, 4).Select(l => (k, l)));

    [Test]
    public void Png_ForEveryClass_Is256SquareValidUnder50KBAndDeterministic()
    {
        foreach (var (key, level) in All())
        {
            var png = BadgeArtwork.Png(key, level);
            Assert.That(PngImage.Validate(png), Is.EqualTo(ImageCheck.Pass), $"{key} {level}");
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), Is.EqualTo(256));
            Assert.That(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)), Is.EqualTo(256));
            Assert.That(png.Length, Is.LessThan(50 * 1024), $"{key} {level}: {png.Length} bytes");
            Assert.That(BadgeArtwork.Png(key, level), Is.EqualTo(png), "same bytes every call");
        }
    }

    [Test]
    public void Svg_ForEveryClass_PassesTheUploadSafetyCheck()
    {
        foreach (var (key, level) in All())
        {
            var svg = Encoding.UTF8.GetBytes(BadgeArtwork.Svg(key, level));
            Assert.That(ImageIntake.Check(svg, 256 * 1024), Is.EqualTo((ImageKind.Svg, ImageCheck.Pass)), $"{key} {level}");
        }
    }

    [Test]
    public void All32Designs_AreDistinct_InBothFormats()
    {
        Assert.That(All().Select(c => Convert.ToBase64String(BadgeArtwork.Png(c.Key, c.Level))), Is.Unique);
        Assert.That(All().Select(c => BadgeArtwork.Svg(c.Key, c.Level)), Is.Unique);
        Assert.That(All().Count(), Is.EqualTo(32));
    }

    [Test]
    public void Png_HasTheCompetenceColourAtTheRim_AndIsTransparentOutsideTheBadge()
    {
        var pixels = Decode(BadgeArtwork.Png("communication_orale", 2));
        Assert.That(Pixel(pixels, 2, 2).A, Is.Zero, "outside the badge");
        // Between the rings and the rim, at the left edge of the disc: the competence colour #0072B2.
        var (r, g, b, a) = Pixel(pixels, 128 - 110, 128);
        Assert.That((r, g, b, a), Is.EqualTo(((byte)0x00, (byte)0x72, (byte)0xB2, (byte)255)));
        var partial = 0;
        for (var y = 0; y < 256; y++)
        {
            for (var x = 0; x < 256; x++)
            {
                var d = Math.Sqrt(Math.Pow(x + 0.5 - 128, 2) + Math.Pow(y + 0.5 - 128, 2));
                if (d is > 123 and < 125 && Pixel(pixels, x, y).A is > 0 and < 255) { partial++; }
            }
        }
        Assert.That(partial, Is.GreaterThan(300), "the rim is anti-aliased: partly covered pixels all around it");
    }

    [Test]
    public void Rasteriser_FillsAboutPiRSquaredPixelsForADisc()
    {
        var pixels = Decode(BadgeArtwork.Png("valoriser_son_experience", 1));
        var covered = 0.0;
        for (var y = 0; y < 256; y++) { for (var x = 0; x < 256; x++) { covered += Pixel(pixels, x, y).A / 255.0; } }
        Assert.That(covered, Is.EqualTo(Math.PI * 124 * 124).Within(0.5).Percent);
    }

    [Test]
    public void UnknownCompetenceOrLevel_IsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BadgeArtwork.Png("jonglage", 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BadgeArtwork.Svg("communication_orale", 5));
        Assert.That(BadgeArtwork.IsKnown("travail_en_equipe"), Is.True);
    }

    /// <summary>Inflates IDAT and undoes filter 0 (the encoder writes only that): RGBA rows.</summary>
    private static byte[] Decode(byte[] png)
    {
        var chunks = new List<PngChunk>();
        PngReader.Walk(png, chunks, checkCrc: true);
        using var idat = new MemoryStream();
        foreach (var c in chunks.Where(c => c.TypeName == "IDAT")) { idat.Write(png, c.DataOffset, c.Length); }
        idat.Position = 0;
        using var z = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        z.CopyTo(raw);
        var rows = raw.ToArray();
        var pixels = new byte[256 * 256 * 4];
        for (var y = 0; y < 256; y++)
        {
            Assert.That(rows[y * 1025], Is.Zero, "filter type 0");
            Array.Copy(rows, (y * 1025) + 1, pixels, y * 1024, 1024);
        }
        return pixels;
    }

    private static (byte R, byte G, byte B, byte A) Pixel(byte[] p, int x, int y)
    {
        var i = ((y * 256) + x) * 4;
        return (p[i], p[i + 1], p[i + 2], p[i + 3]);
    }
}
