using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// Criteria and narratives are Markdown (OB 2.0, "Criteria.narrative", "Assertion.narrative"), written by
/// issuers' staff and shown to anyone: CommonMark with raw HTML disabled (Markdig escapes it as text),
/// links kept only to http, https and mailto URLs (a <c>javascript:</c> or <c>data:</c> link becomes its
/// text), images shown as their alt text (the pages load nothing from elsewhere), headings moved below
/// the page's own.
/// </summary>
public static class PageMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().Build();

    /// <summary>Safe HTML for <paramref name="markdown"/>; headings start at h<c>1 + headingOffset</c>.</summary>
    public static string ToHtml(string? markdown, int headingOffset = 2)
    {
        if (string.IsNullOrWhiteSpace(markdown)) { return ""; }
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>())
        {
            heading.Level = Math.Min(6, heading.Level + headingOffset);
        }
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (!link.IsImage && SafeUrl(link.Url) is { } url)
            {
                link.Url = url;
                link.GetAttributes().AddPropertyIfNotExist("rel", "nofollow ugc noopener noreferrer");
                continue;
            }
            Unwrap(link);
        }
        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            var url = autolink.IsEmail ? "mailto:" + autolink.Url : autolink.Url;
            if (SafeUrl(url) is null) { autolink.ReplaceBy(new LiteralInline(autolink.Url)); }
        }
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        return writer.ToString();
    }

    /// <summary>The URL when it is an absolute http, https or mailto URL (links the pages may carry); otherwise null.</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeMailto)
            ? u.AbsoluteUri
            : null;

    /// <summary>Replaces a link or image by what it contains (its text, or an image's alt text).</summary>
    private static void Unwrap(LinkInline link)
    {
        foreach (var child in link.ToList())
        {
            child.Remove();
            link.InsertBefore(child);
        }
        link.Remove();
    }
}
