using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Open Badges 2.0 Baking for PNG ("Baking: PNG"): one iTXt chunk with the keyword <c>openbadges</c>,
/// compression flag 0 and empty language tag and translated keyword, whose text is the assertion
/// JSON (hosted) or the compact JWS (signed). Open Badges 3.0 (docformat.md, "Baked Badge: PNG") is the
/// same chunk with the keyword <c>openbadgecredential</c>, whose text is the VC-JWT (or the credential's
/// JSON), never compressed. Every other byte of the image is copied as it is.
/// </summary>
public static class PngBaker
{
    private static ReadOnlySpan<byte> V2Keyword => "openbadges"u8;
    private static ReadOnlySpan<byte> V3Keyword => "openbadgecredential"u8;

    /// <summary>Largest payload read from a compressed chunk; refuses decompression bombs.</summary>
    public const int MaxPayloadBytes = 1024 * 1024;

    /// <summary>
    /// Bakes <paramref name="payload"/> into a PNG the service has already validated. Walks chunk
    /// headers only (no CRC over stored chunks: that was checked at upload), drops any earlier
    /// <c>openbadges</c> chunk so there is never two, and writes the new chunk right after IHDR.
    /// The output is allocated once, at its exact size.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a walkable PNG.</exception>
    /// <param name="png">The stored class image.</param>
    /// <param name="payload">What to bake: a 2.0 assertion's JSON or JWS, or a 3.0 credential's VC-JWT or JSON.</param>
    /// <param name="credential">True for an OB 3.0 credential (keyword <c>openbadgecredential</c>), else an OB 2.0 assertion.</param>
    public static byte[] Bake(ReadOnlySpan<byte> png, string payload, bool credential = false)
    {
        var keyword = credential ? V3Keyword : V2Keyword;
        // Pass 1: structure only (lengths and types), to size the output and find old badge chunks.
        var dropped = 0;
        var end = Structure(png, ref dropped);
        var textLength = Encoding.UTF8.GetByteCount(payload);
        var dataLength = keyword.Length + 5 + textLength; // keyword, NUL, flag, method, NUL (language), NUL (translated)
        // Every byte of the output is written below, so it need not be zeroed first.
        var output = GC.AllocateUninitializedArray<byte>(end - dropped + dataLength + 12);

        // Pass 2: IHDR, the new chunk, then every other chunk as it was.
        const int ihdrEnd = 8 + 12 + 13;
        png[..ihdrEnd].CopyTo(output);
        var at = ihdrEnd + WriteItxt(output.AsSpan(ihdrEnd), keyword, payload, textLength);
        for (var pos = ihdrEnd; pos < end;)
        {
            var c = new PngChunk(pos, (int)BinaryPrimitives.ReadUInt32BigEndian(png[pos..]), PngChunk.TypeOf(png.Slice(pos + 4, 4)));
            if (BadgeVersion(png, c) == 0)
            {
                png.Slice(pos, c.TotalLength).CopyTo(output.AsSpan(at));
                at += c.TotalLength;
            }
            pos += c.TotalLength;
        }
        return output;
    }

    /// <summary>Walks a stored (already validated) PNG's chunk headers; returns where IEND ends.</summary>
    private static int Structure(ReadOnlySpan<byte> png, ref int dropped)
    {
        if (png.Length < 45 || !png[..8].SequenceEqual(PngEncoder.Signature) || PngChunk.TypeOf(png.Slice(12, 4)) != PngChunk.Ihdr
            || BinaryPrimitives.ReadUInt32BigEndian(png[8..]) != 13)
        {
            throw new InvalidDataException("The bytes are not a PNG that starts with IHDR.");
        }
        for (var pos = 8; pos <= png.Length - 12;)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
            if (length > (uint)(png.Length - pos - 12)) { break; }
            var c = new PngChunk(pos, (int)length, PngChunk.TypeOf(png.Slice(pos + 4, 4)));
            // Any earlier badge chunk, of either version, goes: the image carries exactly the one baked now
            // (OB 2.0 "Baking"; OB 3.0 docformat.md: "MUST NOT appear in a PNG more than once", overwritten).
            if (BadgeVersion(png, c) != 0) { dropped += c.TotalLength; }
            pos += c.TotalLength;
            if (c.Type == PngChunk.Iend) { return pos; }
        }
        throw new InvalidDataException("The PNG's chunks run past its end or it has no IEND.");
    }

    /// <summary>
    /// Reads the baked badge: the first chunk with the keyword <c>openbadges</c> (OB 2.0) or
    /// <c>openbadgecredential</c> (OB 3.0 docformat.md, "Extracting": the first iTXt with that keyword);
    /// iTXt (uncompressed or zlib) and tEXt, as older bakers wrote it. The result says which version.
    /// </summary>
    public static UnbakeResult Unbake(ReadOnlySpan<byte> png)
    {
        var chunks = new List<PngChunk>();
        var check = PngReader.Walk(png, chunks, checkCrc: true);
        if (!check.Ok) { return UnbakeResult.Error(check); }
        foreach (var c in chunks)
        {
            var version = BadgeVersion(png, c);
            if (version == 0) { continue; }
            var keywordLength = version == 3 ? V3Keyword.Length : V2Keyword.Length;
            var data = png.Slice(c.DataOffset, c.Length)[(keywordLength + 1)..];
            UnbakeResult? found = null;
            if (c.Type == PngChunk.Text)
            {
                found = UnbakeResult.Found(Encoding.Latin1.GetString(data).Trim());
            }
            else if (c.Type == PngChunk.Itxt)
            {
                found = ReadItxt(data);
            }
            else if (c.Type == PngChunk.Ztxt && data.Length > 1 && data[0] == 0)
            {
                found = Inflate(data[1..], Encoding.Latin1);
            }
            if (found is null) { continue; }
            return found.Ok && version == 3 ? UnbakeResult.FoundCredential(found.Payload!) : found;
        }
        return UnbakeResult.None("The PNG carries no openbadges or openbadgecredential chunk.");
    }

    private static UnbakeResult ReadItxt(ReadOnlySpan<byte> afterKeyword)
    {
        // compression flag, compression method, language tag NUL, translated keyword NUL, text.
        if (afterKeyword.Length < 4) { return Malformed(); }
        var flag = afterKeyword[0];
        var rest = afterKeyword[2..];
        var languageEnd = rest.IndexOf((byte)0);
        if (languageEnd < 0) { return Malformed(); }
        rest = rest[(languageEnd + 1)..];
        var translatedEnd = rest.IndexOf((byte)0);
        if (translatedEnd < 0) { return Malformed(); }
        var text = rest[(translatedEnd + 1)..];
        return flag switch
        {
            0 => UnbakeResult.Found(Encoding.UTF8.GetString(text).Trim()),
            1 when afterKeyword[1] == 0 => Inflate(text, Encoding.UTF8),
            _ => Malformed(),
        };
    }

    private static UnbakeResult Inflate(ReadOnlySpan<byte> compressed, Encoding encoding)
    {
        try
        {
            using var z = new ZLibStream(new MemoryStream(compressed.ToArray()), CompressionMode.Decompress);
            var buffer = new byte[MaxPayloadBytes + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = z.Read(buffer, total, buffer.Length - total)) > 0) { total += read; }
            return total > MaxPayloadBytes
                ? UnbakeResult.Error(ImageCheck.Fail("png.payload_too_large", "The compressed openbadges text expands past 1 MB."))
                : UnbakeResult.Found(encoding.GetString(buffer, 0, total).Trim());
        }
        catch (InvalidDataException)
        {
            return UnbakeResult.Error(ImageCheck.Fail("png.bad_compression", "The compressed openbadges text is not valid zlib data."));
        }
    }

    private static UnbakeResult Malformed() =>
        UnbakeResult.Error(ImageCheck.Fail("png.bad_itxt", "The openbadges iTXt chunk is malformed."));

    /// <summary>2 for an <c>openbadges</c> text chunk, 3 for an <c>openbadgecredential</c> one, 0 for any other chunk.</summary>
    private static int BadgeVersion(ReadOnlySpan<byte> png, PngChunk c)
    {
        if (c.Type != PngChunk.Itxt && c.Type != PngChunk.Text && c.Type != PngChunk.Ztxt) { return 0; }
        return HasKeyword(png, c, V2Keyword) ? 2 : HasKeyword(png, c, V3Keyword) ? 3 : 0;
    }

    private static bool HasKeyword(ReadOnlySpan<byte> png, PngChunk c, ReadOnlySpan<byte> keyword) =>
        c.Length > keyword.Length
        && png.Slice(c.DataOffset, keyword.Length + 1).StartsWith(keyword)
        && png[c.DataOffset + keyword.Length] == 0;

    private static int WriteItxt(Span<byte> output, ReadOnlySpan<byte> keyword, string payload, int textLength)
    {
        var length = keyword.Length + 5 + textLength;
        BinaryPrimitives.WriteInt32BigEndian(output, length);
        "iTXt"u8.CopyTo(output[4..]);
        var data = output.Slice(8, length);
        keyword.CopyTo(data);
        data.Slice(keyword.Length, 5).Clear(); // NUL, flag 0, method 0, empty language NUL, empty translated NUL
        Encoding.UTF8.GetBytes(payload, data[(keyword.Length + 5)..]);
        BinaryPrimitives.WriteUInt32BigEndian(output[(8 + length)..], Crc32.HashToUInt32(output.Slice(4, length + 4)));
        return length + 12;
    }
}
