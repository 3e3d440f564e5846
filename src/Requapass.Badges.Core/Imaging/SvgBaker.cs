using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Open Badges 2.0 Baking for SVG ("Baking: SVG"): the root gets
/// <c>xmlns:openbadges="http://openbadges.org"</c> and a first child
/// <c>&lt;openbadges:assertion verify="..."&gt;</c>. For a hosted badge <c>verify</c> is the assertion
/// URL and the JSON is the element's CDATA content; for a signed badge <c>verify</c> is the JWS.
/// An existing openbadges:assertion is replaced: never two. Open Badges 3.0 (docformat.md, "Baked Badge:
/// SVG") uses the namespace <c>https://purl.imsglobal.org/ob/v3p0</c> and an <c>openbadges:credential</c>
/// element: <c>verify</c> is the VC-JWT, or (an embedded proof) the JSON is its CDATA content.
/// An image carries one baked badge: baking either version removes any earlier element of both.
/// </summary>
public static class SvgBaker
{
    /// <summary>The Open Badges 2.0 baking namespace.</summary>
    public const string OpenBadgesNamespace = "http://openbadges.org";

    /// <summary>The Open Badges 3.0 baking namespace (docformat.md, "SVG: Baking").</summary>
    public const string CredentialNamespace = "https://purl.imsglobal.org/ob/v3p0";

    private static readonly XNamespace Ob = OpenBadgesNamespace;
    private static readonly XNamespace Ob3 = CredentialNamespace;

    /// <summary>Bakes an OB 3.0 credential secured as a VC-JWT: <c>&lt;openbadges:credential verify="..."&gt;</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeCredential(ReadOnlySpan<byte> svg, string vcJwt) =>
        Bake(svg, new XElement(Ob3 + "credential", new XAttribute("verify", vcJwt)));

    /// <summary>Bakes an OB 3.0 credential's JSON (embedded proof): no verify attribute, the JSON as CDATA.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeCredentialJson(ReadOnlySpan<byte> svg, string credentialJson) =>
        Bake(svg, new XElement(Ob3 + "credential", new XCData(credentialJson)));

    /// <summary>Bakes a hosted assertion: verify = its URL, content = its JSON.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeHosted(ReadOnlySpan<byte> svg, string assertionUrl, string assertionJson) =>
        Bake(svg, new XElement(Ob + "assertion", new XAttribute("verify", assertionUrl), new XCData(assertionJson)));

    /// <summary>Bakes a signed assertion: verify = the compact JWS.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an SVG document.</exception>
    public static byte[] BakeSigned(ReadOnlySpan<byte> svg, string jws) =>
        Bake(svg, new XElement(Ob + "assertion", new XAttribute("verify", jws)));

    /// <summary>
    /// Reads the baked badge, the first <c>openbadges:assertion</c> (2.0) or <c>openbadges:credential</c> (3.0)
    /// in document order: the JSON content (hosted, or a credential with an embedded proof), else the verify
    /// attribute (a JWS or VC-JWT, or a 2.0 URL to fetch).
    /// </summary>
    public static UnbakeResult Unbake(ReadOnlySpan<byte> svg)
    {
        var doc = SvgDocument.Load(svg);
        if (doc?.Root is null || doc.Root.Name != XName.Get("svg", SvgDocument.SvgNamespace))
        {
            return UnbakeResult.Error(ImageCheck.Fail("svg.not_svg", "The file is not an SVG document (or declares a DTD, which is refused)."));
        }
        var element = doc.Root.Descendants().FirstOrDefault(e => e.Name == Ob + "assertion" || e.Name == Ob3 + "credential");
        if (element is null) { return UnbakeResult.None("The SVG carries no openbadges:assertion or openbadges:credential element."); }
        var credential = element.Name == Ob3 + "credential";
        var content = element.Value.Trim();
        var verify = element.Attribute("verify")?.Value.Trim();
        var payload = content.Length > 0 ? content : verify;
        if (string.IsNullOrEmpty(payload))
        {
            return UnbakeResult.Error(ImageCheck.Fail("svg.empty_assertion", $"The openbadges:{element.Name.LocalName} element is empty."));
        }
        return credential ? UnbakeResult.FoundCredential(payload) : UnbakeResult.Found(payload);
    }

    private static byte[] Bake(ReadOnlySpan<byte> svg, XElement assertion)
    {
        var doc = SvgDocument.Load(svg);
        var root = doc?.Root;
        if (root is null || root.Name != XName.Get("svg", SvgDocument.SvgNamespace))
        {
            throw new InvalidDataException("The bytes are not an SVG document.");
        }
        root.Descendants().Where(e => e.Name == Ob + "assertion" || e.Name == Ob3 + "credential").ToList().ForEach(e => e.Remove());
        // Both versions name their prefix "openbadges": drop any declaration of either namespace, then declare the one used.
        foreach (var attribute in root.Attributes()
            .Where(a => a.IsNamespaceDeclaration && (a.Value is OpenBadgesNamespace or CredentialNamespace || a.Name == XNamespace.Xmlns + "openbadges")).ToList())
        {
            attribute.Remove();
        }
        root.SetAttributeValue(XNamespace.Xmlns + "openbadges", assertion.Name.NamespaceName);
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
