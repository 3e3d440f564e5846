using System.Buffers.Binary;
using System.IO.Compression;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

/// <summary>
/// PNGs whose chunks and CRCs are all correct but whose size or image data is not (issue #10): a
/// decoder, not a chunk walker, would notice. Built with their own row arithmetic, independent of
/// the code under test.
/// </summary>
public static partial class HostileImages
{
    private static IEnumerable<(string, byte[])> PixelPngs()
    {
        // 50000 x 50000 claimed, one row of data: the header alone asks a viewer for 10 GB.
        yield return ("png-huge-dimensions", Png(50000, 50000, 8, 6, 0, Zlib(Rows(50000, 1, 32)[0])));
        yield return ("png-one-past-the-cap", Png(4097, 1, 8, 0, 0, Zlib(Filtered(4097, 1, 8, 0, interlaced: false))));
        yield return ("png-idat-not-zlib", Png(4, 4, 8, 6, 0, "these bytes are not zlib at all"u8.ToArray()));
        yield return ("png-idat-raw-deflate", Png(4, 4, 8, 6, 0, Deflate(Filtered(4, 4, 32, 0, interlaced: false))));
        yield return ("png-idat-zlib-cut", Png(4, 4, 8, 6, 0, Zlib(Filtered(4, 4, 32, 0, interlaced: false))[..^10]));
        yield return ("png-idat-bad-adler32", Png(4, 4, 8, 6, 0, FlipLastByte(Zlib(Filtered(4, 4, 32, 0, interlaced: false)))));
        yield return ("png-idat-truncated", Png(4, 4, 8, 6, 0, Zlib(Filtered(4, 3, 32, 0, interlaced: false))));
        yield return ("png-idat-one-byte-short", Png(4, 4, 8, 6, 0, Zlib(Filtered(4, 4, 32, 0, interlaced: false)[..^1])));
        yield return ("png-idat-too-long", Png(4, 4, 8, 6, 0, Zlib(Filtered(4, 5, 32, 0, interlaced: false))));
        yield return ("png-idat-one-byte-long", Png(4, 4, 8, 6, 0, Zlib([.. Filtered(4, 4, 32, 0, interlaced: false), 0])));
        yield return ("png-idat-bomb", Png(4, 4, 8, 6, 0, Zlib(new byte[8 * 1024 * 1024])));
        yield return ("png-bad-filter-first-row", Png(4, 4, 8, 6, 0, Zlib(Filtered(4, 4, 32, 5, interlaced: false))));
        yield return ("png-bad-filter-last-row", Png(4, 4, 8, 6, 0, Zlib(SetLastFilter(Filtered(4, 4, 32, 0, interlaced: false), 4 * 4, 255))));
        yield return ("png-interlaced-sized-as-progressive", Png(8, 8, 8, 0, 1, Zlib(Filtered(8, 8, 8, 0, interlaced: false))));
        yield return ("png-interlaced-one-byte-short", Png(8, 8, 8, 0, 1, Zlib(Filtered(8, 8, 8, 0, interlaced: true)[..^1])));
        yield return ("png-interlaced-bad-filter", Png(8, 8, 8, 0, 1, Zlib(Filtered(8, 8, 8, 7, interlaced: true))));
    }

    /// <summary>A PNG with the given IHDR fields and one IDAT holding <paramref name="idat"/> as is.</summary>
    public static byte[] Png(int width, int height, byte depth, byte colourType, byte interlace, byte[] idat)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = depth;
        ihdr[9] = colourType;
        ihdr[12] = interlace;
        return [.. PngEncoder.Signature, .. Chunk("IHDR", ihdr), .. Chunk("IDAT", idat), .. Chunk("IEND", [])];
    }

    /// <summary>Filtered image data: every row starts with <paramref name="filter"/>, then a byte pattern.</summary>
    public static byte[] Filtered(int width, int height, int bitsPerPixel, byte filter, bool interlaced)
    {
        var rows = interlaced ? Adam7Rows(width, height, bitsPerPixel) : Rows(width, height, bitsPerPixel);
        var data = new List<byte>();
        foreach (var row in rows)
        {
            row[0] = filter;
            data.AddRange(row);
        }
        return [.. data];
    }

    private static List<byte[]> Rows(int width, int height, int bitsPerPixel) =>
        [.. Enumerable.Range(0, height).Select(y => Row(width, bitsPerPixel, y))];

    /// <summary>Seven passes (PNG 8.2); a pass with no columns or no rows contributes nothing.</summary>
    private static List<byte[]> Adam7Rows(int width, int height, int bitsPerPixel)
    {
        int[][] passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]];
        var rows = new List<byte[]>();
        foreach (var p in passes)
        {
            var columns = Enumerable.Range(0, width).Count(x => x % p[2] == p[0]);
            var lines = Enumerable.Range(0, height).Count(y => y % p[3] == p[1]);
            if (columns == 0) { continue; }
            rows.AddRange(Enumerable.Range(0, lines).Select(y => Row(columns, bitsPerPixel, y)));
        }
        return rows;
    }

    private static byte[] Row(int width, int bitsPerPixel, int y)
    {
        var row = new byte[1 + (int)Math.Ceiling(width * bitsPerPixel / 8.0)];
        for (var i = 1; i < row.Length; i++) { row[i] = (byte)((i * 31) + y); }
        return row;
    }

    private static byte[] SetLastFilter(byte[] data, int rowLength, byte filter)
    {
        data[data.Length - rowLength - 1] = filter;
        return data;
    }

    private static byte[] FlipLastByte(byte[] data)
    {
        data[^1] ^= 0x01;
        return data;
    }

    public static byte[] Zlib(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true)) { z.Write(data); }
        return output.ToArray();
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var z = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) { z.Write(data); }
        return output.ToArray();
    }
}
