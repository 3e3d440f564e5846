using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

/// <summary>
/// Malformed and hostile images, built in code from a valid PNG and from SVG text so that each case
/// is one readable line. Shared with the API tests (linked source), where each must be answered 400.
/// </summary>
public static partial class HostileImages
{
    public static byte[] ValidPng(int size = 4)
    {
        var pixels = new byte[size * size * 4];
        for (var i = 0; i < pixels.Length; i++) { pixels[i] = (byte)(i * 7); }
        return PngEncoder.Encode(size, size, pixels);
    }

    public static IEnumerable<(string Name, byte[] Bytes)> All()
    {
        var png = ValidPng();
        var ihdrEnd = 8 + 25;
        yield return ("png-empty", []);
        yield return ("png-signature-only", png[..8]);
        yield return ("png-bad-signature", Patch(png, 1, 0x51));
        yield return ("png-truncated-in-idat", png[..(png.Length - 20)]);
        yield return ("png-truncated-in-header", png[..(ihdrEnd + 6)]);
        yield return ("png-ihdr-crc-wrong", Patch(png, ihdrEnd - 1, (byte)(png[ihdrEnd - 1] ^ 0xFF)));
        yield return ("png-idat-crc-wrong", Patch(png, png.Length - 13, (byte)(png[png.Length - 13] ^ 0x01)));
        yield return ("png-length-past-end", SetLength(png, ihdrEnd, 0x00FFFFFF));
        yield return ("png-chunk-over-2gb", SetLength(png, ihdrEnd, 0xFFFFFFF0));
        yield return ("png-chunk-over-limit", SetLength(png, ihdrEnd, 0x7FFFFFFF));
        yield return ("png-ihdr-not-first", [.. png[..8], .. Chunk("tEXt", "Comment\0hello"u8), .. png[8..]]);
        yield return ("png-no-iend", png[..(png.Length - 12)]);
        yield return ("png-data-after-iend", [.. png, .. "trailing"u8]);
        yield return ("png-zero-width", Rebuild(png, "IHDR", ihdr => BinaryPrimitives.WriteInt32BigEndian(ihdr, 0)));
        yield return ("png-bad-depth-for-colour", Rebuild(png, "IHDR", ihdr => ihdr[8] = 3));
        yield return ("png-ihdr-wrong-length", [.. png[..8], .. Chunk("IHDR", png.AsSpan(16, 12)), .. png[ihdrEnd..]]);
        yield return ("png-bad-chunk-type", [.. png[..ihdrEnd], .. Chunk("1234", "x"u8), .. png[ihdrEnd..]]);
        yield return ("png-duplicate-ihdr", [.. png[..ihdrEnd], .. png[8..ihdrEnd], .. png[ihdrEnd..]]);
        yield return ("png-no-idat", [.. png[..ihdrEnd], .. png[(png.Length - 12)..]]);
        yield return ("jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0]);
        yield return ("gif", "GIF89a\x01\x00\x01\x00"u8.ToArray());
        yield return ("plain-text", "just some text named badge.png"u8.ToArray());
        foreach (var pixels in PixelPngs()) { yield return pixels; }
        foreach (var (name, svg) in Svgs().Concat(CssSvgs())) { yield return (name, Encoding.UTF8.GetBytes(svg)); }
    }

    private static IEnumerable<(string, string)> Svgs()
    {
        const string ns = "xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\"";
        yield return ("svg-not-xml", $"<svg {ns}><circle r='1'></svg>");
        yield return ("svg-xxe", $"<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><svg {ns}><text>&x;</text></svg>");
        yield return ("svg-billion-laughs", $"<!DOCTYPE svg [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><svg {ns}><text>&c;</text></svg>");
        yield return ("svg-external-dtd", $"<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\"><svg {ns}/>");
        yield return ("svg-script", $"<svg {ns}><script>alert(1)</script></svg>");
        yield return ("svg-script-uppercase", $"<svg {ns}><SCRIPT>alert(1)</SCRIPT></svg>");
        yield return ("svg-onload-root", $"<svg {ns} onload=\"alert(1)\"/>");
        yield return ("svg-onclick-nested", $"<svg {ns}><g><rect width='1' height='1' onclick='alert(1)'/></g></svg>");
        yield return ("svg-foreign-object", $"<svg {ns}><foreignObject><div xmlns='http://www.w3.org/1999/xhtml'>x</div></foreignObject></svg>");
        yield return ("svg-iframe", $"<svg {ns}><iframe src='https://evil.example'/></svg>");
        yield return ("svg-javascript-href", $"<svg {ns}><a href='javascript:alert(1)'><text>x</text></a></svg>");
        yield return ("svg-javascript-entity-obfuscated", $"<svg {ns}><a xlink:href='&#106;avascript:alert(1)'><text>x</text></a></svg>");
        yield return ("svg-javascript-tab-obfuscated", $"<svg {ns}><a href='java&#9;script:alert(1)'><text>x</text></a></svg>");
        yield return ("svg-external-use", $"<svg {ns}><use xlink:href='https://evil.example/sprite.svg#a'/></svg>");
        yield return ("svg-external-image", $"<svg {ns}><image href='http://169.254.169.254/latest/meta-data'/></svg>");
        yield return ("svg-data-html-image", $"<svg {ns}><image href='data:text/html;base64,PHNjcmlwdD4='/></svg>");
        yield return ("svg-css-import", $"<svg {ns}><style>@import url(https://evil.example/x.css);</style></svg>");
        yield return ("svg-css-url-attribute", $"<svg {ns}><rect style=\"fill:url(https://evil.example/p.svg#p)\"/></svg>");
        yield return ("svg-css-url-presentation", $"<svg {ns}><rect fill=\"url(http://evil.example/p.svg#p)\"/></svg>");
        yield return ("svg-animate-href", $"<svg {ns}><a href='#x'><animate attributeName='href' to='javascript:alert(1)'/><text>x</text></a></svg>");
        yield return ("svg-set-onclick", $"<svg {ns}><set attributeName='onmouseover' to='alert(1)'/></svg>");
        yield return ("svg-stylesheet-pi", $"<?xml-stylesheet href=\"https://evil.example/x.css\"?><svg {ns}/>");
        yield return ("svg-wrong-root", "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><svg/></body></html>");
        yield return ("svg-no-namespace", "<svg width='10' height='10'><circle r='1'/></svg>");
        yield return ("html-pretending", "<!doctype html><html><body><svg><script>alert(1)</script></svg></body></html>");
    }

    public static byte[] Chunk(string type, ReadOnlySpan<byte> data)
    {
        using var s = new MemoryStream();
        PngEncoder.WriteChunk(s, Encoding.ASCII.GetBytes(type), data);
        return s.ToArray();
    }

    private static byte[] Patch(byte[] png, int at, byte value)
    {
        var copy = (byte[])png.Clone();
        copy[at] = value;
        return copy;
    }

    private static byte[] SetLength(byte[] png, int chunkOffset, uint length)
    {
        var copy = (byte[])png.Clone();
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(chunkOffset), length);
        return copy;
    }

    /// <summary>Rewrites one chunk's data and gives it a correct CRC, so only the content is wrong.</summary>
    private static byte[] Rebuild(byte[] png, string type, Action<byte[]> edit)
    {
        var chunks = new List<PngChunk>();
        PngReader.Walk(png, chunks, checkCrc: false);
        var c = chunks.First(c => c.TypeName == type);
        var data = png.AsSpan(c.DataOffset, c.Length).ToArray();
        edit(data);
        return [.. png[..c.Offset], .. Chunk(type, data), .. png[(c.Offset + c.TotalLength)..]];
    }

    /// <summary>A PNG whose openbadges zTXt-style iTXt inflates to far more than the cap.</summary>
    public static byte[] CompressedBomb()
    {
        using var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(new byte[8 * 1024 * 1024]);
        }
        var png = ValidPng();
        byte[] data = [.. "openbadges"u8, 0, 1, 0, 0, 0, .. compressed.ToArray()];
        return [.. png[..33], .. Chunk("iTXt", data), .. png[33..]];
    }
}
