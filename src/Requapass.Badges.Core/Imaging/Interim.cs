using System.Xml;

namespace Requapass.Badges.Core.Imaging;

// Interim checks, replaced by the full PNG walker and SVG sanitiser of the baking work.

/// <summary>The image formats the service accepts.</summary>
public enum ImageKind
{
    /// <summary>PNG.</summary>
    Png,
    /// <summary>SVG.</summary>
    Svg,
}

/// <summary>The outcome of checking an image.</summary>
public sealed record ImageCheck(bool Ok, string Code, string Message)
{
    /// <summary>A passed check.</summary>
    public static ImageCheck Pass { get; } = new(true, "ok", "ok");
}

/// <summary>Recognises an image by its bytes.</summary>
public static class ImageSniffer
{
    /// <summary>PNG by signature, SVG by its root element; null otherwise.</summary>
    public static ImageKind? Detect(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith(PngEncoder.Signature)) { return ImageKind.Png; }
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(data.ToArray()), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            reader.MoveToContent();
            return reader.LocalName == "svg" && reader.NamespaceURI == "http://www.w3.org/2000/svg" ? ImageKind.Svg : null;
        }
        catch (XmlException) { return null; }
    }
}

/// <summary>PNG checks.</summary>
public static class PngImage
{
    /// <summary>Validates a PNG.</summary>
    public static ImageCheck Validate(ReadOnlySpan<byte> data) => data.StartsWith(PngEncoder.Signature) ? ImageCheck.Pass : new(false, "png.signature", "Not a PNG.");
}

/// <summary>SVG checks.</summary>
public static class SvgSanitizer
{
    /// <summary>Checks an SVG.</summary>
    public static ImageCheck Check(ReadOnlySpan<byte> data) => ImageSniffer.Detect(data) == ImageKind.Svg ? ImageCheck.Pass : new(false, "svg.root", "Not an SVG.");
}

/// <summary>Interim PNG baking: one iTXt chunk after IHDR.</summary>
public static class PngBaker
{
    /// <summary>Bakes <paramref name="payload"/> into <paramref name="png"/>.</summary>
    public static byte[] Bake(ReadOnlySpan<byte> png, string payload)
    {
        using var output = new MemoryStream();
        output.Write(png[..33]);
        var text = System.Text.Encoding.UTF8.GetBytes(payload);
        var data = new byte["openbadges".Length + 5 + text.Length];
        "openbadges"u8.CopyTo(data);
        text.CopyTo(data, "openbadges".Length + 5);
        PngEncoder.WriteChunk(output, "iTXt"u8, data);
        output.Write(png[33..]);
        return output.ToArray();
    }
}

/// <summary>Interim SVG baking.</summary>
public static class SvgBaker
{
    /// <summary>Bakes a hosted assertion into an SVG.</summary>
    public static byte[] BakeHosted(ReadOnlySpan<byte> svg, string assertionUrl, string assertionJson)
    {
        var doc = System.Xml.Linq.XDocument.Parse(System.Text.Encoding.UTF8.GetString(svg));
        System.Xml.Linq.XNamespace ob = "http://openbadges.org";
        doc.Root!.SetAttributeValue(System.Xml.Linq.XNamespace.Xmlns + "openbadges", ob.NamespaceName);
        doc.Root.AddFirst(new System.Xml.Linq.XElement(ob + "assertion", new System.Xml.Linq.XAttribute("verify", assertionUrl), new System.Xml.Linq.XCData(assertionJson)));
        return System.Text.Encoding.UTF8.GetBytes(doc.ToString(System.Xml.Linq.SaveOptions.DisableFormatting));
    }
}
