using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>
/// The two human-readable pages Open Badges asks for: a BadgeClass's criteria (OB 2.0 "Criteria": id is
/// "the URI of a webpage that describes in a human-readable format the criteria") and the RECTEC+
/// framework targets that alignments point to ("AlignmentObject": targetUrl is required).
/// </summary>
public static class PublicPagesApi
{
    public static RouteGroupBuilder MapPublicPageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Public Open Badges documents").ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/badges/{badgeClassId}/criteria", Criteria).WithName("GetBadgeClassCriteriaPage")
            .WithSummary("The criteria as a web page: the badge class's page (?lang=fr|nl|en, else Accept-Language).");
        group.MapGet("/frameworks/rectec-plus/{code}", FrameworkTarget).WithName("GetRectecTargetPage")
            .WithSummary("A RECTEC+ competence level, as a web page.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/html");
        return group;
    }

    /// <summary>The badge class's page (Features/Pages), whose criteria section this URL names; always HTML.</summary>
    public static Task<HtmlPage> Criteria(string badgeClassId, [System.ComponentModel.Description("The page's language when a browser asks for HTML: fr, nl or en (else Accept-Language, else fr).")] string? lang, HttpRequest request, BadgePages pages, CancellationToken ct) =>
        pages.BadgeClassAsync(badgeClassId, lang, request, ct, criteria: true);

    public static Results<ContentHttpResult, ProblemHttpResult> FrameworkTarget(string code, RectecCatalogue catalogue)
    {
        var badge = catalogue.Find(code);
        if (badge is null) { return Problems.NotFound("RECTEC+ target"); }
        var body = new StringBuilder();
        foreach (var language in catalogue.Languages)
        {
            body.Append($"<section lang=\"{E(language)}\"><h2>{E(badge.Name[language])}</h2><p>{E(badge.Description[language])}</p>")
                .Append(Markdownish(badge.CriteriaNarrative(language))).Append("</section>");
        }
        // The competence's path (issue #13, part 3): the levels below and above, so a reader of a badge
        // class's alignment sees where the level stands. Relative links: the sibling pages, whatever the base URL.
        var path = catalogue.Badges.Where(b => b.Competency == badge.Competency).OrderBy(b => b.Level).ToList();
        body.Append("<nav aria-label=\"RECTEC+\"><ol>");
        foreach (var step in path)
        {
            var name = E(step.Name[catalogue.DefaultLanguage]);
            body.Append(step.Code == badge.Code ? $"<li aria-current=\"page\">{name}</li>"
                : $"<li><a href=\"{E(Uri.EscapeDataString(step.Code))}\" rel=\"{(step.Level < badge.Level ? "prev" : "next")}\">{name}</a></li>");
        }
        body.Append("</ol></nav>");
        return Page(catalogue.DefaultLanguage, $"{catalogue.Framework.Name} {badge.Code}", body.ToString());
    }

    private static ContentHttpResult Page(string language, string title, string body) => TypedResults.Content(
        $"<!doctype html><html lang=\"{E(language)}\"><head><meta charset=\"utf-8\"><title>{E(title)}</title></head><body><h1>{E(title)}</h1>{body}</body></html>",
        "text/html; charset=utf-8");

    /// <summary>The narratives are bulleted lists; render those, escape everything.</summary>
    private static string Markdownish(string narrative)
    {
        var lines = narrative.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.All(l => l.StartsWith("- ", StringComparison.Ordinal))
            ? "<ul>" + string.Concat(lines.Select(l => $"<li>{E(l[2..])}</li>")) + "</ul>"
            : string.Concat(lines.Select(l => $"<p>{E(l)}</p>"));
    }

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
