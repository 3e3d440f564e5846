using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class PngBakerTests
{
    private const string Json = """{"@context":"https://w3id.org/openbadges/v2","type":"Assertion","id":"https://b.example/a/1","narrative":"Réussi"}""";

    [Test]
    public void Bake_ThenUnbake_ReturnsPayload_AndTheRestIsTheOriginalByteForByte()
    {
        var png = HostileImages.ValidPng(16);
        var baked = PngBaker.Bake(png, Json);
        Assert.That(PngImage.Validate(baked), Is.EqualTo(ImageCheck.Pass), "the baked PNG is valid, CRCs included");
        Assert.That(PngBaker.Unbake(baked), Is.EqualTo(UnbakeResult.Found(Json)));
        Assert.That(WithoutOpenBadges(baked), Is.EqualTo(png));
    }

    [Test]
    public void Bake_PutsOneSpecShapedItxtChunkRightAfterIhdr()
    {
        var baked = PngBaker.Bake(HostileImages.ValidPng(), "eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
        var chunks = Chunks(baked);
        Assert.That(chunks.Select(c => c.TypeName), Is.EqualTo(new[] { "IHDR", "iTXt", "IDAT", "IEND" }));
        var data = baked.AsSpan(chunks[1].DataOffset, chunks[1].Length);
        Assert.That(data[..16].ToArray(), Is.EqualTo("openbadges\0\0\0\0\0e"u8.ToArray()));
    }

    [Test]
    public void Bake_AgainOrOverOtherBakers_LeavesExactlyOneOpenBadgesChunk()
    {
        var png = HostileImages.ValidPng();
        var twice = PngBaker.Bake(PngBaker.Bake(png, "first"), "second");
        Assert.That(Chunks(twice).Count(c => c.TypeName == "iTXt"), Is.EqualTo(1));
        Assert.That(PngBaker.Unbake(twice).Payload, Is.EqualTo("second"));

        byte[] withText = [.. png[..33], .. HostileImages.Chunk("tEXt", "openbadges\0https://old.example/a/1"u8), .. png[33..]];
        Assert.That(PngBaker.Unbake(withText).Payload, Is.EqualTo("https://old.example/a/1"), "tEXt as older bakers wrote it");
        var rebaked = PngBaker.Bake(withText, "new");
        Assert.That(Chunks(rebaked).Count(c => c.TypeName is "iTXt" or "tEXt"), Is.EqualTo(1));
        Assert.That(PngBaker.Unbake(rebaked).Payload, Is.EqualTo("new"));
    }

    [Test]
    public void Bake_KeepsOtherTextChunks()
    {
        var png = HostileImages.ValidPng();
        byte[] withComment = [.. png[..33], .. HostileImages.Chunk("tEXt", "Comment\0REQUAPASS"u8), .. png[33..]];
        var chunks = Chunks(PngBaker.Bake(withComment, "x"));
        Assert.That(chunks.Select(c => c.TypeName), Is.EqualTo(new[] { "IHDR", "iTXt", "tEXt", "IDAT", "IEND" }));
    }

    [Test]
    public void Unbake_OfPlainPng_SaysNothingIsBaked()
    {
        Assert.That(PngBaker.Unbake(HostileImages.ValidPng()).Code, Is.EqualTo("unbake.none"));
    }

    [Test]
    public void Unbake_OfCompressedBomb_IsRefused()
    {
        Assert.That(PngBaker.Unbake(HostileImages.CompressedBomb()).Code, Is.EqualTo("png.payload_too_large"));
    }

    [TestCaseSource(typeof(ImageIntakeTests), nameof(ImageIntakeTests.Corpus))]
    public void Unbake_OfMalformedImage_ReturnsAnErrorAndNeverThrows(byte[] image)
    {
        Assert.DoesNotThrow(() => PngBaker.Unbake(image));
        Assert.DoesNotThrow(() => SvgBaker.Unbake(image));
    }

    [Test]
    public void Bake_OfNonPng_ThrowsInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => PngBaker.Bake(Encoding.UTF8.GetBytes("nope"), "x"));
    }

    private static List<PngChunk> Chunks(byte[] png)
    {
        var chunks = new List<PngChunk>();
        Assert.That(PngReader.Walk(png, chunks, checkCrc: true).Ok, Is.True);
        return chunks;
    }

    private static byte[] WithoutOpenBadges(byte[] png)
    {
        var output = new List<byte>(png[..8]);
        foreach (var c in Chunks(png).Where(c => c.TypeName != "iTXt"))
        {
            output.AddRange(png.AsSpan(c.Offset, c.TotalLength).ToArray());
        }
        return [.. output];
    }
}
