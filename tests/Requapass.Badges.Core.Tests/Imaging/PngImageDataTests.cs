using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class PngImageDataTests
{
    [TestCase(8, 8, 8, false, 72)]
    [TestCase(8, 8, 8, true, 79)]   // passes 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4: 2+2+3+6+10+20+36
    [TestCase(1, 1, 32, true, 5)]   // only pass 1 has a pixel
    [TestCase(3, 2, 1, true, 8)]    // passes 1, 4, 6 and 7 hold one row each, 1-bit pixels rounded up to a byte: 4 x 2
    [TestCase(4096, 4096, 64, false, 4096L * (1 + (4096 * 8)))]
    public void ExpectedLength_FollowsIhdr(int width, int height, int bitsPerPixel, bool interlaced, long expected)
    {
        Assert.That(PngImageData.ExpectedLength(PngImageData.Rows(width, height, bitsPerPixel, interlaced)), Is.EqualTo(expected));
    }

    [TestCase(5, 3, 8, 6, 32)]
    [TestCase(13, 7, 1, 0, 1)]
    [TestCase(8, 8, 16, 2, 48)]
    [TestCase(1, 1, 8, 4, 16)]
    [TestCase(9, 9, 4, 3, 4)]
    public void Validate_AcceptsInterlacedPng(int width, int height, byte depth, byte colourType, int bitsPerPixel)
    {
        var png = HostileImages.Png(width, height, depth, colourType, 1, HostileImages.Zlib(HostileImages.Filtered(width, height, bitsPerPixel, 4, interlaced: true)));
        Assert.That(PngImage.Validate(png), Is.EqualTo(ImageCheck.Pass));
    }

    [Test]
    public void Validate_AcceptsTheLargestAllowedSize()
    {
        var size = PngImageData.MaxDimension;
        var png = HostileImages.Png(size, 1, 8, 0, 0, HostileImages.Zlib(HostileImages.Filtered(size, 1, 8, 0, interlaced: false)));
        Assert.That(PngImage.Validate(png), Is.EqualTo(ImageCheck.Pass));
        png = HostileImages.Png(1, size, 8, 0, 0, HostileImages.Zlib(HostileImages.Filtered(1, size, 8, 2, interlaced: false)));
        Assert.That(PngImage.Validate(png), Is.EqualTo(ImageCheck.Pass));
    }

    [Test]
    public void Validate_AcceptsImageDataSplitAcrossIdatChunks()
    {
        var png = HostileImages.ValidPng(16);
        var idat = png.AsSpan(33 + 8, png.Length - 33 - 12 - 12).ToArray();
        byte[] split = [.. png[..33], .. HostileImages.Chunk("IDAT", idat[..5]), .. HostileImages.Chunk("IDAT", idat[5..]), .. png[^12..]];
        Assert.That(PngImage.Validate(split), Is.EqualTo(ImageCheck.Pass));
    }

    [TestCase("png-huge-dimensions", "png.dimensions")]
    [TestCase("png-one-past-the-cap", "png.dimensions")]
    [TestCase("png-idat-not-zlib", "png.idat_not_zlib")]
    [TestCase("png-idat-raw-deflate", "png.idat_not_zlib")]
    [TestCase("png-idat-zlib-cut", "png.idat_truncated")]
    [TestCase("png-idat-bad-adler32", "png.idat_not_zlib")] // read to the stream's end, so the checksum is checked
    [TestCase("png-idat-truncated", "png.idat_truncated")]
    [TestCase("png-idat-one-byte-short", "png.idat_truncated")]
    [TestCase("png-idat-too-long", "png.idat_too_long")]
    [TestCase("png-idat-one-byte-long", "png.idat_too_long")]
    [TestCase("png-idat-bomb", "png.idat_too_long")]
    [TestCase("png-bad-filter-first-row", "png.bad_filter")]
    [TestCase("png-bad-filter-last-row", "png.bad_filter")]
    [TestCase("png-interlaced-sized-as-progressive", "png.bad_filter")] // a pixel byte sits where a pass row's filter byte must
    [TestCase("png-interlaced-one-byte-short", "png.idat_truncated")]
    [TestCase("png-interlaced-bad-filter", "png.bad_filter")]
    public void Validate_RefusesBadSizeOrImageData_NamingTheProblem(string name, string code)
    {
        var (_, check) = ImageIntake.Check(HostileImages.All().Single(c => c.Name == name).Bytes, 256 * 1024);
        Assert.That(check.Code, Is.EqualTo(code), check.Message);
    }
}
