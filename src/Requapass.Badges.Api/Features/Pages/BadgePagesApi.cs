using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>
/// What the badge pages need beyond the document URLs they share with the JSON-LD (PublicApi answers
/// those by content negotiation): their stylesheet and script, and the "verify" button's result page.
/// </summary>
public static class BadgePagesApi
{
    public static RouteGroupBuilder MapBadgePageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Badge pages");
        group.MapGet("/assets/{file}", Asset).WithName("GetPageAsset")
            .WithSummary("The pages' stylesheet, script and icon, under names that carry a hash of their content (cached for a year).")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/css", "text/javascript", "image/svg+xml").ProducesProblem(StatusCodes.Status404NotFound);
        // A plain HTML form posts here, so the button works without JavaScript. POST, not GET: crawlers
        // and link previews do not set a verification going. Verifying is the heavy work of POST /public/verify,
        // held to the same rate and concurrency limits.
        group.MapPost("/assertions/{assertionId}/verification", Verify).WithName("VerifyBadgePage")
            .RequireRateLimiting(RateLimits.Verify).AsHeavyWork(HeavyWorkKind.Verification).DisableAntiforgery()
            .WithSummary("Verifies one of this service's badges, as the verifier does (no network), and answers the result as a page.")
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        return group;
    }

    public static Results<AssetResult, ProblemHttpResult> Asset(string file, SiteAssets assets) =>
        assets.Find(file) is { } asset ? new AssetResult(asset) : Problems.NotFound("page asset");

    public static async Task<HtmlPage> Verify(
        string assertionId, [System.ComponentModel.Description("The page's language when a browser asks for HTML: fr, nl or en (else Accept-Language, else fr).")] string? lang, HttpRequest request, BadgesDbContext db, PublicUrls urls, ObDocuments documents,
        OwnDocumentCache cache, BadgePages pages, TimeProvider clock, CancellationToken ct)
    {
        var row = lang is not null && PageLanguages.Choose(lang, request) is null ? null : await DocumentRows.Assertion(assertionId, db, ct);
        if (row is null) { return await pages.VerificationAsync(assertionId, lang, request, null, null, ct); }
        var source = new OwnDocumentSource(db, urls, documents, cache, new NothingElsewhere());
        var report = await new BadgeVerifier(source, clock.GetUtcNow(), null, ct).VerifyUrlAsync(urls.Assertion(row.PublicId));
        return await pages.VerificationAsync(assertionId, lang, request, report, row.BadgeClassPublicId, ct);
    }

    /// <summary>The page verifies our own badges only: a document outside our base is never fetched.</summary>
    private sealed class NothingElsewhere : IDocumentSource
    {
        public Task<SourcedDocument> GetAsync(Uri url, string? accept, CancellationToken ct) =>
            Task.FromResult(SourcedDocument.Fail("fetch.refused", "The badge page verifies this service's own badges and fetches nothing from elsewhere."));
    }
}

/// <summary>A stylesheet or script: immutable under its hashed name (RFC 8246).</summary>
public sealed class AssetResult(SiteAssets.Asset asset) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "public, max-age=31536000, immutable";
        if (ETags.Matches(http.Request, asset.ETag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentType = asset.ContentType;
        http.Response.ContentLength = asset.Content.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(asset.Content, http.RequestAborted);
        }
    }
}
