using System.Buffers.Binary;
using System.IO.Compression;

namespace Requapass.Badges.ArtworkSheet;

/// <summary>Reads back the PNGs that PngEncoder writes: one or more IDAT chunks, filter 0 on every row, RGBA 8-bit.</summary>
internal static class PngPixels
{
    public static (int Width, int Height, byte[] Rgba) Decode(byte[] png)
    {
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
        var raw = inflated.GetBuffer();
        var stride = width * 4;
        var rgba = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            if (raw[y * (stride + 1)] != 0) { throw new InvalidDataException($"Row {y} uses PNG filter {raw[y * (stride + 1)]}; only filter 0 is expected."); }
            Array.Copy(raw, (y * (stride + 1)) + 1, rgba, y * stride, stride);
        }
        return (width, height, rgba);
    }
}
