using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Requapass.Badges.Core.Imaging;

/// <summary>
/// Judges the CSS of an uploaded SVG. The decision: CSS in an SVG may not reference anything outside
/// the document. Text is judged only in canonical form, as a browser would read it: CSS comments
/// dropped, escapes resolved (CSS Syntax 3, section 4.3.7), ASCII case folded. Matching the raw text
/// is what let <c>@\69mport</c> and <c>u\72l(</c> through. Canonicalising errs towards making text
/// look more dangerous (a dropped comment joins its neighbours), never less.
/// </summary>
internal static partial class SvgCss
{
    /// <summary>At-rules that cannot load anything. @import, @font-face, @namespace and all others are refused.</summary>
    private static readonly HashSet<string> AllowedAtRules = ["media", "keyframes", "-webkit-keyframes", "-moz-keyframes", "-o-keyframes"];

    /// <summary>
    /// Functions that compute colours, lengths and transforms from their arguments only, and the
    /// selector pseudo-classes written as functions. url() is judged on its own.
    /// </summary>
    private static readonly HashSet<string> AllowedFunctions =
    [
        "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch", "color",
        "calc", "min", "max", "clamp", "var",
        "translate", "translatex", "translatey", "translatez", "translate3d",
        "rotate", "rotatex", "rotatey", "rotatez", "rotate3d",
        "scale", "scalex", "scaley", "scalez", "scale3d",
        "skew", "skewx", "skewy", "matrix", "matrix3d", "perspective",
        "cubic-bezier", "steps",
        "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type",
    ];

    /// <summary>Functions that load or embed a resource (CSS Images 4, Houdini, old IE): refused in any attribute too.</summary>
    private static readonly HashSet<string> LoadingFunctions = ["url", "image", "image-set", "element", "cross-fade", "src", "paint", "expression"];

    /// <summary>Properties and schemes that run code in some browser, whatever their value.</summary>
    private static readonly string[] CodeWords = ["-moz-binding", "behavior", "javascript:", "vbscript:"];

    /// <summary>The one url() allowed: a fragment of this document, quoted or not.</summary>
    [GeneratedRegex("""\G[ \t\n]*(?:"#[^"\\\n]*"|'#[^'\\\n]*'|#[^ \t\n"'()\\]*)[ \t\n]*\)""")]
    private static partial Regex SameDocumentUrl();

    /// <summary>Checks a style sheet (a &lt;style&gt; element) or a declaration list (a style attribute).</summary>
    public static ImageCheck? CheckStyleSheet(string css, string where) =>
        Judge(Canonicalise(css), where, styleSheet: true);

    /// <summary>Checks any other attribute, which may be a presentation attribute (fill, filter, mask, cursor...): only url(#id).</summary>
    public static ImageCheck? CheckAttribute(string value, string where) =>
        Judge(Canonicalise(value), where, styleSheet: false);

    /// <summary>
    /// The text as a CSS parser reads it: newlines normalised, comments dropped outside strings,
    /// escapes resolved (\ and 1 to 6 hex digits with one optional white space, \ and any other
    /// character, \ and a newline dropped as a line continuation), then lower-cased.
    /// </summary>
    internal static string Canonicalise(string text)
    {
        var s = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\f', '\n').Replace('\0', '\uFFFD');
        var output = new StringBuilder(s.Length);
        char? quote = null;
        var i = 0;
        while (i < s.Length)
        {
            var c = s[i];
            if (quote is null && c == '/' && i + 1 < s.Length && s[i + 1] == '*')
            {
                var end = s.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? s.Length : end + 2; // an unclosed comment runs to the end, as in CSS
                continue;
            }
            if (c == '\\')
            {
                i = Unescape(s, i + 1, output);
                continue;
            }
            if (quote is null && c is '"' or '\'') { quote = c; }
            else if (c == quote || (quote is not null && c == '\n')) { quote = null; } // a newline ends a string (bad-string)
            output.Append(c);
            i++;
        }
        return output.ToString().ToLowerInvariant();
    }

    /// <summary>Resolves the escape whose first character after the backslash is at <paramref name="i"/>; returns the next position.</summary>
    private static int Unescape(string s, int i, StringBuilder output)
    {
        if (i >= s.Length) { output.Append('\uFFFD'); return i; }
        if (s[i] == '\n') { return i + 1; }
        if (!char.IsAsciiHexDigit(s[i])) { output.Append(s[i]); return i + 1; }
        var start = i;
        while (i < s.Length && i - start < 6 && char.IsAsciiHexDigit(s[i])) { i++; }
        var code = int.Parse(s.AsSpan(start, i - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (i < s.Length && s[i] is ' ' or '\t' or '\n') { i++; }
        output.Append(code == 0 || code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(code));
        return i;
    }

    private static ImageCheck? Judge(string css, string where, bool styleSheet)
    {
        if (styleSheet)
        {
            if (Array.Find(CodeWords, w => css.Contains(w, StringComparison.Ordinal)) is { } word)
            {
                return ImageCheck.Fail("svg.dangerous_css", $"The SVG has dangerous CSS ({word}) in {where}.");
            }
            if (AtRuleProblem(css, where) is { } atRule) { return atRule; }
        }
        for (var open = css.IndexOf('('); open >= 0; open = css.IndexOf('(', open + 1))
        {
            if (FunctionProblem(css, open, where, styleSheet) is { } function) { return function; }
        }
        return null;
    }

    private static ImageCheck? AtRuleProblem(string css, string where)
    {
        for (var at = css.IndexOf('@'); at >= 0; at = css.IndexOf('@', at + 1))
        {
            var end = at + 1;
            while (end < css.Length && IsNameChar(css[end])) { end++; }
            var name = css[(at + 1)..end];
            if (!AllowedAtRules.Contains(name))
            {
                return ImageCheck.Fail("svg.dangerous_css", $"The SVG has a CSS @{name} rule in {where}; only @media and @keyframes are allowed.");
            }
        }
        return null;
    }

    /// <summary>Judges the name in front of the parenthesis at <paramref name="open"/>.</summary>
    private static ImageCheck? FunctionProblem(string css, int open, string where, bool styleSheet)
    {
        var end = open;
        while (end > 0 && css[end - 1] is ' ' or '\t' or '\n') { end--; }
        var start = end;
        while (start > 0 && IsNameChar(css[start - 1])) { start--; }
        if (start == end || (start > 0 && css[start - 1] == '@')) { return null; } // a bare group, or "@media("
        var name = WithoutVendorPrefix(css[start..end]);
        var spaced = end != open;
        if (spaced)
        {
            // "url (x)" is not a function token in CSS, but refusing costs nothing and no parser
            // quirk, old or future, can turn it into a load.
            return LoadingFunctions.Contains(name)
                ? ImageCheck.Fail("svg.dangerous_css", $"The SVG has \"{name} (\" in {where}; a space before the parenthesis is ambiguous and refused.")
                : null;
        }
        if (name == "url")
        {
            return SameDocumentUrl().IsMatch(css, open + 1)
                ? null
                : ImageCheck.Fail("svg.external_reference", $"The SVG has a url() in {where} that is not a reference inside the document (url(#id)).");
        }
        if (LoadingFunctions.Contains(name))
        {
            return ImageCheck.Fail("svg.dangerous_css", $"The SVG uses the CSS function {name}() in {where}, which can load a resource.");
        }
        return styleSheet && !AllowedFunctions.Contains(name)
            ? ImageCheck.Fail("svg.dangerous_css", $"The SVG uses the CSS function {name}() in {where}, which is not on the allow-list.")
            : null;
    }

    /// <summary>"-webkit-image-set" is judged as "image-set".</summary>
    private static string WithoutVendorPrefix(string name)
    {
        if (name.Length < 3 || name[0] != '-' || name[1] == '-') { return name; }
        var dash = name.IndexOf('-', 1);
        return dash < 0 ? name : name[(dash + 1)..];
    }

    /// <summary>CSS name code points (CSS Syntax 3, 4.2): letters, digits, '-', '_' and anything non-ASCII.</summary>
    private static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || c >= 0x80;
}
