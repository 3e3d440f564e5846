using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Open Badges 2.0 Baking for SVG ("Baking: SVG"): the root gets
/// <c>xmlns:openbadges="http://openbadges.org"</c> and a first child
/// <c>&lt;openbadges:assertion verify="..."&gt;</c>. For a hosted badge <c>verify</c> is the assertion
/// URL and the JSON is the element's CDATA content; for a signed badge <c>verify</c> is the JWS.
/// An existing openbadges:assertion is replaced: never two.
/// </summary>
public static class SvgBaker
{
    /// <summary>The Open Badges baking namespace.</summary>
    public const string OpenBadgesNamespace = "http://openbadges.org";

    private static readonly XNamespace Ob = OpenBadgesNamespace;

    /// <summary>Bakes a hosted assertion: verify = its URL, content = its JSON.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeHosted(ReadOnlySpan<byte> svg, string assertionUrl, string assertionJson) =>
        Bake(svg, new XElement(Ob + "assertion", new XAttribute("verify", assertionUrl), new XCData(assertionJson)));

    /// <summary>Bakes a signed assertion: verify = the compact JWS.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeSigned(ReadOnlySpan<byte> svg, string jws) =>
        Bake(svg, new XElement(Ob + "assertion", new XAttribute("verify", jws)));

    /// <summary>Reads the baked badge: the JSON content (hosted), else the verify attribute (a JWS, or a URL to fetch).</summary>
    public static UnbakeResult Unbake(ReadOnlySpan<byte> svg)
    {
        var doc = SvgDocument.Load(svg);
        if (doc?.Root is null || doc.Root.Name != XName.Get("svg", SvgDocument.SvgNamespace))
        {
            return UnbakeResult.Error(ImageCheck.Fail("svg.not_svg", "The file is not an SVG document (or declares a DTD, which is refused)."));
        }
        var element = doc.Root.Descendants(Ob + "assertion").FirstOrDefault();
        if (element is null) { return UnbakeResult.None("The SVG carries no openbadges:assertion element."); }
        var content = element.Value.Trim();
        if (content.Length > 0) { return UnbakeResult.Found(content); }
        var verify = element.Attribute("verify")?.Value.Trim();
        return string.IsNullOrEmpty(verify)
            ? UnbakeResult.Error(ImageCheck.Fail("svg.empty_assertion", "The openbadges:assertion element is empty."))
            : UnbakeResult.Found(verify);
    }

    private static byte[] Bake(ReadOnlySpan<byte> svg, XElement assertion)
    {
        var doc = SvgDocument.Load(svg);
        var root = doc?.Root;
        if (root is null || root.Name != XName.Get("svg", SvgDocument.SvgNamespace))
        {
            throw new InvalidDataException("The bytes are not an SVG document.");
        }
        root.Descendants(Ob + "assertion").ToList().ForEach(e => e.Remove());
        foreach (var attribute in root.Attributes().Where(a => a.IsNamespaceDeclaration && a.Value == OpenBadgesNamespace).ToList())
        {
            attribute.Remove();
        }
        root.SetAttributeValue(XNamespace.Xmlns + "openbadges", OpenBadgesNamespace);
        root.AddFirst(assertion);
        using var output = new MemoryStream(svg.Length + 1024);
        // XmlWriter splits any "]]>" inside the JSON across two CDATA sections, so the text survives intact.
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            OmitXmlDeclaration = doc!.Declaration is null,
            NewLineHandling = NewLineHandling.None,
        }))
        {
            doc.Save(writer);
        }
        return output.ToArray();
    }
}
