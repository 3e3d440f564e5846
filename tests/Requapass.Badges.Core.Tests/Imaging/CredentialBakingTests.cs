using System.Text;
using System.Xml.Linq;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

/// <summary>OB 3.0 docformat.md, "Baked Badge": PNG iTXt openbadgecredential and SVG openbadges:credential, beside 2.0.</summary>
public sealed class CredentialBakingTests
{
    private const string VcJwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6Imh0dHBzOi8vYi5leGFtcGxlL2sifQ.eyJpZCI6Imh0dHBzOi8vYi5leGFtcGxlL2MvMSJ9.c2ln";
    private const string Svg = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle cx="5" cy="5" r="4"/></svg>""";

    [Test]
    public void Png_BakeCredential_IsOneUncompressedItxtAfterIhdr_AndUnbakesAsVersion3_TheRestByteForByte()
    {
        var png = HostileImages.ValidPng(16);
        var baked = BadgeBaker.BakeCredential(png, svg: false, VcJwt);
        var chunks = new List<PngChunk>();
        Assert.That(PngReader.Walk(baked, chunks, checkCrc: true).Ok, Is.True);
        Assert.That(chunks.Select(c => c.TypeName), Is.EqualTo(new[] { "IHDR", "iTXt", "IDAT", "IEND" }));
        // keyword, NUL, compression flag 0 and method 0, empty language tag and translated keyword: "Compression MUST NOT be used".
        Assert.That(baked.AsSpan(chunks[1].DataOffset, 24).ToArray(), Is.EqualTo("openbadgecredential\0\0\0\0\0"u8.ToArray()));
        Assert.That(PngBaker.Unbake(baked), Is.EqualTo(UnbakeResult.FoundCredential(VcJwt)));
        Assert.That(PngBaker.Unbake(baked).Version, Is.EqualTo(3));
        var rest = new List<byte>(baked[..8]);
        foreach (var c in chunks.Where(c => c.TypeName != "iTXt")) { rest.AddRange(baked.AsSpan(c.Offset, c.TotalLength).ToArray()); }
        Assert.That(rest.ToArray(), Is.EqualTo(png));
    }

    [Test]
    public void Png_EitherVersionBakedOverTheOther_LeavesExactlyOneBadgeChunk()
    {
        var png = HostileImages.ValidPng();
        var v3OverV2 = PngBaker.Bake(PngBaker.Bake(png, "https://b.example/a/1"), VcJwt, credential: true);
        var v2OverV3 = PngBaker.Bake(v3OverV2, "https://b.example/a/2");
        foreach (var (image, version, payload) in new[] { (v3OverV2, 3, VcJwt), (v2OverV3, 2, "https://b.example/a/2") })
        {
            var chunks = new List<PngChunk>();
            Assert.That(PngReader.Walk(image, chunks, checkCrc: true).Ok, Is.True);
            Assert.That(chunks.Count(c => c.TypeName == "iTXt"), Is.EqualTo(1));
            var unbaked = PngBaker.Unbake(image);
            Assert.That((unbaked.Version, unbaked.Payload), Is.EqualTo((version, payload)));
        }
    }

    [Test]
    public void Svg_BakeCredential_Jwt_And_Json_UnbakeAsVersion3_AndReplaceA20Assertion()
    {
        var jwt = SvgBaker.BakeCredential(Encoding.UTF8.GetBytes(Svg), VcJwt);
        var root = XDocument.Parse(Encoding.UTF8.GetString(jwt)).Root!;
        XNamespace ob3 = "https://purl.imsglobal.org/ob/v3p0";
        Assert.That(root.Attribute(XNamespace.Xmlns + "openbadges")!.Value, Is.EqualTo("https://purl.imsglobal.org/ob/v3p0"));
        Assert.That(root.Elements().First().Name, Is.EqualTo(ob3 + "credential"), "directly after the svg tag");
        Assert.That(root.Elements().First().Attribute("verify")!.Value, Is.EqualTo(VcJwt));
        Assert.That(SvgBaker.Unbake(jwt), Is.EqualTo(UnbakeResult.FoundCredential(VcJwt)));

        const string json = """{"id":"https://b.example/c/1","type":["VerifiableCredential","OpenBadgeCredential"],"name":"a ]]> b"}""";
        var withJson = SvgBaker.BakeCredentialJson(SvgBaker.BakeHosted(Encoding.UTF8.GetBytes(Svg), "https://b.example/a/1", "{}"), json);
        var text = Encoding.UTF8.GetString(withJson);
        Assert.That(text, Does.Not.Contain("openbadges:assertion").And.Not.Contain("http://openbadges.org"), "never a 2.0 and a 3.0 badge in one image");
        var unbaked = SvgBaker.Unbake(withJson);
        Assert.That((unbaked.Version, unbaked.Payload), Is.EqualTo((3, json)));
        var back = SvgBaker.BakeSigned(withJson, "a.b.c");
        Assert.That((SvgBaker.Unbake(back).Version, SvgBaker.Unbake(back).Payload), Is.EqualTo((2, "a.b.c")));
        Assert.That(Encoding.UTF8.GetString(back), Does.Not.Contain("openbadges:credential"));
    }
}
