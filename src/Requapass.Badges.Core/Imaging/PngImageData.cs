using System.Buffers.Binary;
using System.IO.Compression;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Checks an uploaded PNG's pixels as far as a decoder's first step: the size is capped, and the
/// IDAT data is inflated once, streaming, to exactly the length IHDR implies (PNG specification,
/// sections 7.3, 8.2 and 10) with a valid filter type (0 to 4, section 9.2) in front of every row.
/// Without this a 50000 x 50000 header or IDAT that is not zlib reached every badge viewer.
/// </summary>
public static class PngImageData
{
    /// <summary>
    /// The largest width and height accepted, in pixels. Badge images are shown at a few hundred
    /// pixels; 4096 leaves room for print while keeping a decoder's worst case (16-bit RGBA,
    /// 128 MiB of pixels) bounded.
    /// </summary>
    public const int MaxDimension = 4096;

    // Adam7 passes (section 8.2): first column, first row, column step, row step.
    private static readonly (int X, int Y, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Checks dimensions and image data of a PNG whose chunk structure <paramref name="chunks"/> is already valid.</summary>
    public static ImageCheck Check(ReadOnlySpan<byte> png, IReadOnlyList<PngChunk> chunks)
    {
        var ihdr = png.Slice(chunks[0].DataOffset, 13);
        var width = BinaryPrimitives.ReadInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadInt32BigEndian(ihdr[4..]);
        if (width > MaxDimension || height > MaxDimension)
        {
            return ImageCheck.Fail("png.dimensions", $"The PNG is {width} x {height} pixels; at most {MaxDimension} x {MaxDimension} is accepted.");
        }
        var rows = Rows(width, height, BitsPerPixel(ihdr[9], ihdr[8]), interlaced: ihdr[12] == 1);
        // The IDAT data is at most the upload's size, so joining it costs no more than the upload.
        var idat = new byte[chunks.Where(c => c.Type == PngChunk.Idat).Sum(c => c.Length)];
        var at = 0;
        foreach (var c in chunks.Where(c => c.Type == PngChunk.Idat))
        {
            png.Slice(c.DataOffset, c.Length).CopyTo(idat.AsSpan(at));
            at += c.Length;
        }
        return Inflate(idat, rows);
    }

    private static int BitsPerPixel(byte colourType, byte depth) => depth * colourType switch
    {
        2 => 3,
        4 => 2,
        6 => 4,
        _ => 1, // greyscale, indexed
    };

    /// <summary>Row count and filtered row length (filter byte included) of each pass, in order.</summary>
    internal static List<(long Count, long Length)> Rows(int width, int height, int bitsPerPixel, bool interlaced)
    {
        if (!interlaced) { return [(height, 1 + RowBytes(width, bitsPerPixel))]; }
        var passes = new List<(long, long)>();
        foreach (var (x, y, dx, dy) in Adam7)
        {
            var w = width > x ? (width - x + dx - 1) / dx : 0;
            var h = height > y ? (height - y + dy - 1) / dy : 0;
            if (w > 0 && h > 0) { passes.Add((h, 1 + RowBytes(w, bitsPerPixel))); } // an empty pass has no rows at all
        }
        return passes;
    }

    private static long RowBytes(int width, int bitsPerPixel) => (((long)width * bitsPerPixel) + 7) / 8;

    /// <summary>The exact inflated length IHDR implies.</summary>
    internal static long ExpectedLength(List<(long Count, long Length)> rows) => rows.Sum(r => r.Count * r.Length);

    private static ImageCheck Inflate(byte[] idat, List<(long Count, long Length)> rows)
    {
        var expected = ExpectedLength(rows);
        var buffer = new byte[16 * 1024];
        long total = 0;
        var pass = 0;
        long rowInPass = 0;
        long nextFilter = 0; // offset of the next row's filter byte; expected once every row is seen
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(idat, writable: false), CompressionMode.Decompress);
            int read;
            // Never more than expected + 1 bytes: one byte past the end is enough to know there is too much.
            while (total <= expected && (read = zlib.Read(buffer, 0, (int)Math.Min(buffer.Length, expected + 1 - total))) > 0)
            {
                while (nextFilter < total + read && nextFilter < expected)
                {
                    var filter = buffer[nextFilter - total];
                    if (filter > 4)
                    {
                        return ImageCheck.Fail("png.bad_filter", $"A row of the PNG has filter type {filter}; only 0 to 4 exist.");
                    }
                    nextFilter += rows[pass].Length;
                    if (++rowInPass == rows[pass].Count) { pass++; rowInPass = 0; }
                }
                total += read;
            }
        }
        catch (InvalidDataException)
        {
            return ImageCheck.Fail("png.idat_not_zlib", "The PNG image data (IDAT) is not a valid zlib stream.");
        }
        if (total < expected)
        {
            return ImageCheck.Fail("png.idat_truncated", $"The PNG image data inflates to {total} bytes; its size needs {expected}.");
        }
        return total > expected
            ? ImageCheck.Fail("png.idat_too_long", $"The PNG image data inflates to more than the {expected} bytes its size needs.")
            : ImageCheck.Pass;
    }
}
