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
}
