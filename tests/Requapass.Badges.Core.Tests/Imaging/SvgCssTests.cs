using System.Text;
using Requapass.Badges.Core.Imaging;

namespace Requapass.Badges.Core.Tests.Imaging;

public sealed class SvgCssTests
{
    [TestCase(@"@\69mport", "@import")]
    [TestCase(@"@\69 mport", "@import")]
    [TestCase(@"@\000069mport", "@import")]
    [TestCase(@"@\49MPORT", "@import")]
    [TestCase("@imp\\\nort", "@import")]
    [TestCase("@imp/* x */ort", "@import")]
    [TestCase(@"\000075rl(", "url(")]
    [TestCase("u\\72\r\nl(", "url(")]
    [TestCase(@"\0 x", "\uFFFDx")]
    [TestCase(@"\110000 x", "\uFFFDx")]
    [TestCase(@"\1F600 x", "\U0001F600x")]
    [TestCase("a{content:\"/*\"}b", "a{content:\"/*\"}b")]
    [TestCase(@"a{content:""\""/*""}b", "a{content:\"\"/*\"}b")]
    [TestCase("x/* never closed", "x")]
    public void Canonicalise_ResolvesCommentsEscapesAndCase(string css, string expected)
    {
        Assert.That(SvgCss.Canonicalise(css), Is.EqualTo(expected));
    }

    private const string Open = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">""";

    public static IEnumerable<TestCaseData> Benign()
    {
        yield return Case("plain-fills", """<rect fill="#1763B8" stroke="rgb(0, 0, 0)" style="fill:red;stroke-width:2px;opacity:.5"/>""");
        yield return Case("url-fragment-everywhere", """<defs><linearGradient id="grad"/></defs><style>.a{fill:url(#grad)} .b{fill:url("#grad")} .c{fill:URL( '#grad' )}</style><rect class="a" fill="url(#grad)" stroke="url('#grad')" filter="url(#grad)" style="fill:url(#grad)"/>""");
        yield return Case("media", """<style>@media (prefers-color-scheme: dark) { .a { fill: hsl(0 0% 90%) } } @media(min-width:10px){.b{fill:#fff}}</style><rect class="a"/>""");
        yield return Case("keyframes", """<style>@keyframes spin { from { transform: rotate(0deg) } to { transform: rotate(360deg) } } @-webkit-keyframes spin { 50% { transform: scale(1.2) translate(1px, 2px) } } .a { animation: spin 2s cubic-bezier(.1,.2,.3,.4) infinite }</style><rect class="a"/>""");
        yield return Case("functions-and-comments", """<style>/* brand colours */ .a:not(.b):nth-child(2n) { --c: #123; fill: var(--c); stroke-width: calc(1px + min(2px, 3px)); fill: rgba(1,2,3,.5) }</style><rect class="a" transform="translate(10 20) rotate(45) matrix(1 0 0 1 0 0)"/>""");
        yield return Case("comments-and-cdata-in-style", """<style><!-- a comment --><![CDATA[ .a { fill: red } ]]>.b { fill: blue }</style><rect class="a"/>""");
        yield return Case("escaped-but-harmless", """<style>.a { fi\6c l: \72 ed }</style><rect class="a"/>""");
        yield return Case("text-with-parentheses", """<title>Badge (niveau 2)</title><desc>Communication orale (a@b.c)</desc><rect/>""");

        static TestCaseData Case(string name, string body) => new TestCaseData(Open + body + "</svg>").SetName($"Intake_Accepts_{name}");
    }

    [TestCaseSource(nameof(Benign))]
    public void BenignCss_Passes(string svg)
    {
        Assert.That(ImageIntake.Check(Encoding.UTF8.GetBytes(svg), 256 * 1024).Check, Is.EqualTo(ImageCheck.Pass));
    }

    [TestCase("svg-css-import-xml-comment", "svg.dangerous_css", "@import")]
    [TestCase("svg-css-import-text-then-cdata", "svg.dangerous_css", "@import")]
    [TestCase("svg-css-import-six-digit-escape", "svg.dangerous_css", "@import")]
    [TestCase("svg-css-font-face", "svg.dangerous_css", "@font-face")]
    [TestCase("svg-css-url-hex-escape-attribute", "svg.external_reference", "style attribute")]
    [TestCase("svg-css-url-xml-comment", "svg.external_reference", "<style>")]
    [TestCase("svg-css-url-escaped-presentation", "svg.external_reference", "fill attribute")]
    [TestCase("svg-css-url-cursor", "svg.external_reference", "cursor attribute")]
    [TestCase("svg-css-url-space-before-parenthesis", "svg.dangerous_css", "ambiguous")]
    [TestCase("svg-css-image-set", "svg.dangerous_css", "image-set()")]
    [TestCase("svg-css-webkit-image-set", "svg.dangerous_css", "image-set()")]
    [TestCase("svg-css-expression-escaped", "svg.dangerous_css", "expression()")]
    [TestCase("svg-css-moz-binding", "svg.dangerous_css", "-moz-binding")]
    [TestCase("svg-css-unknown-function", "svg.dangerous_css", "allow-list")]
    [TestCase("svg-css-element-inside-style", "svg.style_markup", "<g>")]
    public void HostileCss_IsRefused_NamingTheReason(string name, string code, string inMessage)
    {
        var (_, check) = ImageIntake.Check(HostileImages.All().Single(c => c.Name == name).Bytes, 256 * 1024);
        Assert.That(check.Code, Is.EqualTo(code), check.Message);
        Assert.That(check.Message, Does.Contain(inMessage));
    }
}
