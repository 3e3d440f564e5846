using System.Buffers.Binary;
using System.IO.Compression;
using QRCoder;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// Reads a QR code PNG back into modules (its own small PNG reader: 1, 2, 4 or 8-bit grey or palette,
/// filter None or Sub/Up, which is what a QR image needs) and compares them with the symbol QRCoder makes
/// for a text. Not a decoder of arbitrary photos: a check that the image's black and white modules are
/// the symbol of that text and no other.
/// </summary>
public static class QrCheck
{
    public static bool Matches(byte[] png, string text, int pixelsPerModule = 10)
    {
        var (width, height, pixels) = Read(png);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var matrix = data.ModuleMatrix;
        var size = matrix.Count;
        if (width != size * pixelsPerModule || height != size * pixelsPerModule) { return false; }
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                // The centre of each module.
                var dark = pixels[(y * pixelsPerModule + pixelsPerModule / 2) * width + x * pixelsPerModule + pixelsPerModule / 2];
                if (dark != matrix[y][x]) { return false; }
            }
        }
        return true;
    }

    private static (int Width, int Height, bool[] Dark) Read(byte[] png)
    {
        int width = 0, height = 0, depth = 0, colorType = 0;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        for (var at = 8; at < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(at));
            var type = System.Text.Encoding.ASCII.GetString(png, at + 4, 4);
            var body = png.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                (width, height, depth, colorType) = (BinaryPrimitives.ReadInt32BigEndian(body), BinaryPrimitives.ReadInt32BigEndian(body[4..]), body[8], body[9]);
            }
            else if (type == "PLTE") { palette = body.ToArray(); }
            else if (type == "IDAT") { idat.Write(body); }
            at += 12 + length;
        }
        Assert.That(colorType, Is.AnyOf(0, 3), "grey or palette");
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) { z.CopyTo(inflated); }
        var raw = inflated.ToArray();
        var stride = (width * depth + 7) / 8;
        var dark = new bool[width * height];
        var previous = new byte[stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var i = 0; i < stride; i++)
            {
                row[i] = filter switch
                {
                    0 => row[i],
                    1 => (byte)(row[i] + (i > 0 ? row[i - 1] : 0)),
                    2 => (byte)(row[i] + previous[i]),
                    _ => throw new AssertionException($"PNG filter {filter} is not read by this check."),
                };
            }
            for (var x = 0; x < width; x++)
            {
                var bit = depth * x;
                var value = (row[bit / 8] >> (8 - depth - bit % 8)) & ((1 << depth) - 1);
                var grey = colorType == 3 ? palette![value * 3] : value * 255 / ((1 << depth) - 1);
                dark[y * width + x] = grey < 128;
            }
            previous = row;
        }
        return (width, height, dark);
    }
}
