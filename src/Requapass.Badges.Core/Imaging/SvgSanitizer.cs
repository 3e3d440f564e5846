using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Refuses SVG that could run script or reach outside itself when opened as a document: DTDs and
/// entities, script and foreignObject and embedding elements, on* event handlers, javascript: and
/// external references, CSS that reaches outside the document (see <see cref="SvgCss"/>), and
/// animations that rewrite links. Refusing (rather than silently stripping) gives the uploader a
/// clear 400 and keeps what is stored exactly what was sent.
/// </summary>
public static partial class SvgSanitizer
{
    private static readonly HashSet<string> ForbiddenElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "foreignObject", "iframe", "embed", "object", "audio", "video", "canvas", "handler", "listener", "frame", "frameset",
    };

    private static readonly HashSet<string> LinkAttributes = new(StringComparer.OrdinalIgnoreCase) { "href", "src", "action", "formaction" };

    [GeneratedRegex(@"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", RegexOptions.IgnoreCase)]
    private static partial Regex SafeDataImage();

    /// <summary>Checks an uploaded SVG; the first problem found is reported.</summary>
    public static ImageCheck Check(ReadOnlySpan<byte> svg, int maxBytes = 256 * 1024)
    {
        if (svg.Length > maxBytes) { return ImageCheck.Fail("svg.too_large", $"The SVG is larger than {maxBytes / 1024} KB."); }
        try
        {
            using var reader = SvgDocument.Reader(svg);
            var root = true;
            var styleDepth = -1; // depth of the <style> element being read, or -1
            var style = new StringBuilder();
            while (reader.Read())
            {
                ImageCheck? problem = null;
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        var isStyle = reader.LocalName.Equals("style", StringComparison.OrdinalIgnoreCase);
                        var depth = reader.Depth;
                        var empty = reader.IsEmptyElement;
                        problem = styleDepth >= 0
                            ? ImageCheck.Fail("svg.style_markup", $"The SVG has a <{reader.LocalName}> element inside a <style> element.")
                            : CheckElement(reader, ref root);
                        if (isStyle && !empty) { styleDepth = depth; style.Clear(); }
                        break;
                    case XmlNodeType.EndElement when reader.Depth == styleDepth:
                        // Judged whole, as the browser sees it: all text and CDATA joined, XML comments
                        // gone. Judging node by node let "@imp<!-- -->ort" through.
                        styleDepth = -1;
                        problem = SvgCss.CheckStyleSheet(style.ToString(), "a <style> element");
                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace when styleDepth >= 0:
                        style.Append(reader.Value);
                        break;
                    case XmlNodeType.ProcessingInstruction:
                        problem = ImageCheck.Fail("svg.processing_instruction", $"The SVG has a <?{reader.Name}?> processing instruction, which can load external style sheets.");
                        break;
                }
                if (problem is not null) { return problem; }
            }
            return root ? ImageCheck.Fail("svg.empty", "The SVG has no root element.") : ImageCheck.Pass;
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return ImageCheck.Fail("svg.dtd", "The SVG declares a DTD; DTDs and entities are refused (XXE, entity expansion).");
        }
        catch (XmlException e)
        {
            return ImageCheck.Fail("svg.not_xml", $"The SVG is not well-formed XML: {e.Message}");
        }
    }

    private static ImageCheck? CheckElement(XmlReader reader, ref bool root)
    {
        if (root)
        {
            root = false;
            if (reader.LocalName != "svg" || reader.NamespaceURI != SvgDocument.SvgNamespace)
            {
                return ImageCheck.Fail("svg.root", "The root element must be <svg> in the SVG namespace.");
            }
        }
        if (ForbiddenElements.Contains(reader.LocalName))
        {
            return ImageCheck.Fail("svg.forbidden_element", $"The SVG has a <{reader.LocalName}> element, which is refused.");
        }
        var animation = reader.LocalName is "animate" or "set" or "animateTransform" or "animateMotion";
        if (!reader.MoveToFirstAttribute()) { return null; }
        do
        {
            var name = reader.LocalName;
            var value = reader.Value;
            if (name.StartsWith("on", StringComparison.OrdinalIgnoreCase) && reader.Prefix != "xmlns")
            {
                return ImageCheck.Fail("svg.event_handler", $"The SVG has an event handler attribute ({reader.Name}).");
            }
            if (LinkAttributes.Contains(name) && !IsSafeReference(value))
            {
                return Compact(value).StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)
                    ? ImageCheck.Fail("svg.javascript_url", "The SVG has a javascript: link.")
                    : ImageCheck.Fail("svg.external_reference", $"The SVG refers to something outside itself ({reader.Name}).");
            }
            if (animation && name is "attributeName" && (value.Contains("href", StringComparison.OrdinalIgnoreCase) || value.StartsWith("on", StringComparison.OrdinalIgnoreCase)))
            {
                return ImageCheck.Fail("svg.animated_link", "The SVG animates a link or an event attribute.");
            }
            // Every attribute, not a list of presentation attributes (fill, stroke, filter, clip-path,
            // mask, marker-*, cursor...): a list is one new property away from a bypass.
            var css = name.Equals("style", StringComparison.OrdinalIgnoreCase)
                ? SvgCss.CheckStyleSheet(value, "a style attribute")
                : reader.Prefix == "xmlns" || reader.Name == "xmlns" ? null : SvgCss.CheckAttribute(value, $"the {reader.Name} attribute");
            if (css is not null) { return css; }
        }
        while (reader.MoveToNextAttribute());
        reader.MoveToElement();
        return null;
    }

    /// <summary>A reference may point inside the document (#id) or be an embedded raster image.</summary>
    private static bool IsSafeReference(string value)
    {
        var compact = Compact(value);
        return compact.Length == 0 || compact.StartsWith('#') || SafeDataImage().IsMatch(value.Trim());
    }

    /// <summary>Drops white space and control characters that browsers ignore inside URLs (java\tscript:).</summary>
    private static string Compact(string value) => string.Concat(value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)));
}
