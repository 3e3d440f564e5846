namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320 reflected, initial and final
/// XOR 0xFFFFFFFF; PNG specification, section 5.5). System.IO.Hashing is not available here.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    /// <summary>Computes the CRC-32 of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Finish(Append(Start, data));

    /// <summary>The running value to pass to the first <see cref="Append"/>.</summary>
    public const uint Start = 0xFFFFFFFFu;

    /// <summary>Feeds more bytes into a running CRC started with <see cref="Start"/>.</summary>
    public static uint Append(uint running, ReadOnlySpan<byte> data)
    {
        var crc = running;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }
        return crc;
    }

    /// <summary>Turns a running value into the final CRC.</summary>
    public static uint Finish(uint running) => running ^ 0xFFFFFFFFu;

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }
            table[n] = c;
        }
        return table;
    }
}
