namespace Requapass.Badges.Api.Features.Pages;

/// <summary>The languages of the badge pages: French first (REQUAPASS's own), Dutch and English.</summary>
public static class PageLanguages
{
    public const string Default = "fr";

    public static readonly IReadOnlyList<string> All = ["fr", "nl", "en"];

    /// <summary>
    /// <c>?lang=</c> when given (null when it names no language of the pages), else the first of the
    /// Accept-Language ranges, by quality then order, whose primary subtag is one of ours (RFC 9110,
    /// section 12.5.4, with RFC 4647 lookup: <c>nl-BE</c> is <c>nl</c>); <c>*</c> or none: French.
    /// </summary>
    public static string? Choose(string? lang, HttpRequest request)
    {
        if (lang is not null)
        {
            var asked = lang.Trim().ToLowerInvariant();
            return All.Contains(asked) ? asked : null;
        }
        var ranges = request.GetTypedHeaders().AcceptLanguage
            .Where(r => (r.Quality ?? 1) > 0)
            .OrderByDescending(r => r.Quality ?? 1); // stable: equal qualities keep the header's order
        foreach (var range in ranges)
        {
            var tag = range.Value.Value ?? "";
            if (tag == "*") { return Default; }
            var primary = tag.Split('-')[0].ToLowerInvariant();
            if (All.Contains(primary)) { return primary; }
        }
        return Default;
    }
}
