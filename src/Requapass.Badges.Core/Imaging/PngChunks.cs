using System.Buffers.Binary;
using System.IO.Hashing;

namespace Requapass.Badges.Core.Imaging;

/// <summary>One chunk of a PNG: where it starts (its length field) and its data length and type.</summary>
public readonly record struct PngChunk(int Offset, int Length, uint Type)
{
    /// <summary>Offset of the chunk data.</summary>
    public int DataOffset => Offset + 8;

    /// <summary>Length of the whole chunk: length, type, data and CRC fields.</summary>
    public int TotalLength => Length + 12;

    /// <summary>The chunk type as four ASCII characters.</summary>
    public string TypeName => string.Create(4, Type, (s, t) =>
    {
        for (var i = 0; i < 4; i++) { s[i] = (char)((t >> (24 - (8 * i))) & 0xFF); }
    });

    /// <summary>Packs four ASCII bytes into a type value.</summary>
    public static uint TypeOf(ReadOnlySpan<byte> ascii) => BinaryPrimitives.ReadUInt32BigEndian(ascii);

    internal static readonly uint Ihdr = TypeOf("IHDR"u8);
    internal static readonly uint Idat = TypeOf("IDAT"u8);
    internal static readonly uint Iend = TypeOf("IEND"u8);
    internal static readonly uint Itxt = TypeOf("iTXt"u8);
    internal static readonly uint Text = TypeOf("tEXt"u8);
    internal static readonly uint Ztxt = TypeOf("zTXt"u8);
}

/// <summary>
/// Walks the chunk structure of a PNG (PNG specification, sections 5.2 to 5.6) without decoding any
/// pixels. Every malformation is reported as an <see cref="ImageCheck"/>, never thrown.
/// </summary>
public static class PngReader
{
    /// <summary>The largest chunk the service reads. PNG allows 2^31-1; badge images never need more.</summary>
    public const int DefaultMaxChunkLength = 16 * 1024 * 1024;

    /// <summary>Walks all chunks. With <paramref name="checkCrc"/> every CRC-32 is verified too.</summary>
    public static ImageCheck Walk(ReadOnlySpan<byte> png, List<PngChunk> chunks, bool checkCrc, int maxChunkLength = DefaultMaxChunkLength)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
        {
            return ImageCheck.Fail("png.signature", "The file does not start with the PNG signature.");
        }
        var pos = 8;
        var sawIdat = false;
        while (true)
        {
            if (png.Length - pos < 12)
            {
                return pos == png.Length
                    ? ImageCheck.Fail("png.no_iend", "The PNG ends without an IEND chunk.")
                    : ImageCheck.Fail("png.truncated", $"The PNG is truncated inside the chunk at byte {pos}.");
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            var typeBytes = png.Slice(pos + 4, 4);
            if (length > int.MaxValue || length > (uint)maxChunkLength)
            {
                return ImageCheck.Fail("png.chunk_too_large", $"The chunk at byte {pos} declares {length} bytes, more than the {maxChunkLength} allowed.");
            }
            if (!IsAsciiLetters(typeBytes))
            {
                return ImageCheck.Fail("png.bad_chunk_type", $"The chunk at byte {pos} has a type that is not four ASCII letters.");
            }
            if (length > (uint)(png.Length - pos - 12))
            {
                return ImageCheck.Fail("png.length_past_end", $"The chunk at byte {pos} declares {length} bytes, past the end of the file.");
            }
            var chunk = new PngChunk(pos, (int)length, PngChunk.TypeOf(typeBytes));
            if (checkCrc)
            {
                var stored = BinaryPrimitives.ReadUInt32BigEndian(png[(chunk.DataOffset + chunk.Length)..]);
                if (Crc32.HashToUInt32(png.Slice(pos + 4, chunk.Length + 4)) != stored)
                {
                    return ImageCheck.Fail("png.crc_mismatch", $"The {chunk.TypeName} chunk at byte {pos} has a wrong CRC-32.");
                }
            }
            if (chunks.Count == 0 && chunk.Type != PngChunk.Ihdr)
            {
                return ImageCheck.Fail("png.ihdr_not_first", "The first chunk of a PNG must be IHDR (PNG specification, 5.6).");
            }
            if (chunk.Type == PngChunk.Ihdr && (chunks.Count > 0 || !ValidHeader(png.Slice(chunk.DataOffset, chunk.Length))))
            {
                return ImageCheck.Fail("png.bad_ihdr", "The IHDR chunk is repeated, or its size, dimensions, bit depth or colour type are invalid.");
            }
            sawIdat |= chunk.Type == PngChunk.Idat;
            chunks.Add(chunk);
            pos += chunk.TotalLength;
            if (chunk.Type == PngChunk.Iend)
            {
                if (pos != png.Length)
                {
                    return ImageCheck.Fail("png.data_after_iend", $"{png.Length - pos} bytes follow the IEND chunk.");
                }
                return sawIdat ? ImageCheck.Pass : ImageCheck.Fail("png.no_idat", "The PNG has no image data (IDAT).");
            }
        }
    }

    private static bool IsAsciiLetters(ReadOnlySpan<byte> type)
    {
        foreach (var b in type)
        {
            if (!char.IsAsciiLetter((char)b)) { return false; }
        }
        return true;
    }

    /// <summary>IHDR (PNG specification, 11.2.2): 13 bytes, non-zero size, an allowed depth for the colour type.</summary>
    private static bool ValidHeader(ReadOnlySpan<byte> ihdr)
    {
        if (ihdr.Length != 13) { return false; }
        var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr);
        var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[4..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue) { return false; }
        var depth = ihdr[8];
        var ok = ihdr[9] switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        return ok && ihdr[10] == 0 && ihdr[11] == 0 && ihdr[12] is 0 or 1;
    }
}

/// <summary>PNG checks for uploads.</summary>
public static class PngImage
{
    /// <summary>
    /// Validates the whole structure and every CRC of an uploaded PNG, then its size and image data
    /// (<see cref="PngImageData"/>). Runs once, at upload; baking trusts what was stored.
    /// </summary>
    public static ImageCheck Validate(ReadOnlySpan<byte> png, int maxChunkLength = PngReader.DefaultMaxChunkLength)
    {
        var chunks = new List<PngChunk>();
        var structure = PngReader.Walk(png, chunks, checkCrc: true, maxChunkLength);
        return structure.Ok ? PngImageData.Check(png, chunks) : structure;
    }
}
