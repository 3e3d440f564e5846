using System.IO.Hashing;
using System.Text;

namespace Requapass.Badges.Core.Tests.Imaging;

/// <summary>
/// PNG (section 5.5) and ZIP both use CRC-32 of ISO 3309: polynomial 0xEDB88320 reflected, initial
/// and final XOR 0xFFFFFFFF. The service takes it from System.IO.Hashing; these tests pin that it is
/// this CRC, against the bitwise definition below.
/// </summary>
public sealed class Crc32Tests
{
    [Test]
    public void Hash_OfStandardCheckString_ReturnsCheckValue()
    {
        // The CRC-32 catalogue's check value: CRC of the ASCII bytes "123456789".
        Assert.That(Crc32.HashToUInt32(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
    }

    [Test]
    public void Hash_OfEmptyInput_ReturnsZero()
    {
        Assert.That(Crc32.HashToUInt32([]), Is.EqualTo(0u));
    }

    [Test]
    public void Hash_OfPngIendChunkType_MatchesTheCrcEveryPngEndsWith()
    {
        // Every PNG ends with IEND and the CRC AE 42 60 82 over its type bytes.
        Assert.That(Crc32.HashToUInt32("IEND"u8), Is.EqualTo(0xAE426082u));
    }

    [Test]
    public void Append_InPieces_EqualsHashInOneGo()
    {
        var data = Encoding.UTF8.GetBytes("Requapass badges, baked into PNG chunks");
        var running = new Crc32();
        running.Append(data.AsSpan(0, 10));
        running.Append(data.AsSpan(10));
        Assert.That(running.GetCurrentHashAsUInt32(), Is.EqualTo(Crc32.HashToUInt32(data)));
    }

    [Test]
    public void Hash_MatchesTheBitwiseDefinition_ForEveryLengthAndAlignment()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length <= data.Length - start; length += 1 + (length / 16))
            {
                var slice = data.AsSpan(start, length);
                Assert.That(Crc32.HashToUInt32(slice), Is.EqualTo(Bitwise(slice)), $"start {start}, length {length}");
            }
        }
    }

    /// <summary>The CRC straight from its definition, one bit at a time: slow and obviously right.</summary>
    private static uint Bitwise(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1; }
        }
        return ~crc;
    }
}
