using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class Crc32Tests
{
    [Test]
    public void Compute_OfStandardCheckString_ReturnsCheckValue()
    {
        // The CRC-32 catalogue's check value: CRC of the ASCII bytes "123456789".
        Assert.That(Crc32.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xCBF43926u));
    }

    [Test]
    public void Compute_OfEmptyInput_ReturnsZero()
    {
        Assert.That(Crc32.Compute([]), Is.EqualTo(0u));
    }

    [Test]
    public void Compute_OfPngIendChunkType_MatchesTheCrcEveryPngEndsWith()
    {
        // Every PNG ends with IEND and the CRC AE 42 60 82 over its type bytes.
        Assert.That(Crc32.Compute("IEND"u8), Is.EqualTo(0xAE426082u));
    }

    [Test]
    public void Append_InPieces_EqualsComputeInOneGo()
    {
        var data = Encoding.UTF8.GetBytes("Requapass badges, baked into PNG chunks");
        var running = Crc32.Append(Crc32.Start, data.AsSpan(0, 10));
        running = Crc32.Append(running, data.AsSpan(10));
        Assert.That(Crc32.Finish(running), Is.EqualTo(Crc32.Compute(data)));
    }

    [Test]
    public void Compute_MatchesTheBitwiseDefinition_ForEveryLengthAndAlignment()
    {
        var data = new byte[300];
        new Random(7).NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length <= data.Length - start; length += 1 + (length / 16))
            {
                var slice = data.AsSpan(start, length);
                Assert.That(Crc32.Compute(slice), Is.EqualTo(Bitwise(slice)), $"start {start}, length {length}");
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
