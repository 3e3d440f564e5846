using System.Buffers.Binary;
using System.IO.Compression;

namespace Requapass.Badges.Core.Tests.Artwork;

/// <summary>
/// Reads back what PngEncoder writes, independently of Core: the IHDR fields, and the pixels from the
/// inflated IDAT data, where every row must use filter 0.
/// </summary>
internal sealed class DecodedPng
{
    private DecodedPng(int width, int height, byte bitDepth, byte colourType, byte[] rgba) =>
        (Width, Height, BitDepth, ColourType, Rgba) = (width, height, bitDepth, colourType, rgba);

    public int Width { get; }

    public int Height { get; }

    public byte BitDepth { get; }

    public byte ColourType { get; }

    public byte[] Rgba { get; }

    public static DecodedPng Read(byte[] png)
    {
        // The signature (8 bytes) is followed by IHDR: length, "IHDR", width, height, depth, colour type.
        Assert.That(png.AsSpan(12, 4).SequenceEqual("IHDR"u8), Is.True, "IHDR comes first");
        var (width, height) = (BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        using var idat = new MemoryStream();
        for (var pos = 8; pos < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            if (png.AsSpan(pos + 4, 4).SequenceEqual("IDAT"u8)) { idat.Write(png, pos + 8, length); }
            pos += length + 12;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) { z.CopyTo(inflated); }
        var raw = inflated.ToArray();
        var stride = width * 4;
        Assert.That(raw, Has.Length.EqualTo((stride + 1) * height), "one filter byte and one row of RGBA per line");
        var rgba = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            Assert.That(raw[y * (stride + 1)], Is.Zero, $"row {y} uses filter 0");
            Array.Copy(raw, (y * (stride + 1)) + 1, rgba, y * stride, stride);
        }
        return new DecodedPng(width, height, png[24], png[25], rgba);
    }

    public (byte R, byte G, byte B, byte A) this[int x, int y]
    {
        get
        {
            var i = ((y * Width) + x) * 4;
            return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
        }
    }
}
