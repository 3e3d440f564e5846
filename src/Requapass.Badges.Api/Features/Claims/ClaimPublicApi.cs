using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>
/// The volunteer's side of claim codes, anonymous: the claim (JSON for programs, the page's form for
/// browsers, at one URL, held to one rate per client address) and the claim pages.
/// </summary>
public static class ClaimPublicApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapClaimEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Claim codes");
        group.MapPost("/claims", Claim).WithName("ClaimBadge").RequireRateLimiting(RateLimits.Claims).WithMetadata(new TooManyPage()).DisableAntiforgery()
            .WithSummary("Claim a badge with a code. JSON answers JSON; the claim page's form (application/x-www-form-urlencoded) answers a page.")
            .Accepts<ClaimRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<ClaimResponse>(StatusCodes.Status200OK).Produces<ClaimResponse>(StatusCodes.Status201Created).Produces<ClaimResponse>(StatusCodes.Status202Accepted)
            .Produces(StatusCodes.Status200OK, typeof(string), ContentNegotiation.Html)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("/claims", (string? lang, HttpRequest request, BadgePages pages, CancellationToken ct) => pages.ClaimFormAsync(null, null, lang, request, ct))
            .WithName("GetClaimPage").WithSummary("The claim page: a form for a code and an email address (HTML, fr/nl/en).");
        group.MapGet("/claims/{campaignId}", (string campaignId, string? code, string? lang, HttpRequest request, BadgePages pages, CancellationToken ct) =>
                pages.ClaimFormAsync(campaignId, code, lang, request, ct))
            .WithName("GetCampaignClaimPage").WithSummary("A campaign's claim page (the QR code's link): its badge, and the form, with ?code= filled in.");
        return group;
    }

    public static async Task<IResult> Claim(HttpRequest request, Claiming claiming, BadgePages pages, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            string? One(string name) => form[name].Count == 1 ? form[name][0] : null;
            var language = PageLanguages.Choose(One("lang"), request) ?? PageLanguages.Default;
            var campaign = One("campaign") is { } c && PublicIds.LooksValid(c) ? c : null;
            var input = new ClaimRequest(One("code"), One("email"), One("narrative"), One("locale") ?? language);
            var outcome = await claiming.ClaimAsync(input, ct);
            return await pages.ClaimResultAsync(outcome, input, language, campaign, ct);
        }
        if (!request.HasJsonContentType())
        {
            return Problems.UnsupportedMediaType("Send the claim as application/json, or as the claim page's form (application/x-www-form-urlencoded).");
        }
        ClaimRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<ClaimRequest>(Json, ct);
        }
        catch (JsonException e)
        {
            return Problems.BadRequest("invalid-json", $"The body is not a valid claim: {e.Message}");
        }
        if (body is null) { return Problems.BadRequest("invalid-json", "The body is empty: send { \"code\": ..., \"email\": ... }."); }
        var result = await claiming.ClaimAsync(body, ct);
        if (result.Claim is { } claim)
        {
            return claim.Replayed ? TypedResults.Ok(claim)
                : claim.Status == ClaimStatus.Awarded ? TypedResults.Created(claim.BadgeUrl, claim)
                : TypedResults.Accepted((string?)null, claim);
        }
        return result.Refusal switch
        {
            ClaimRefusal.Invalid => Problems.Invalid(result.Errors!.ToDictionary(e => e.Key, e => e.Value)),
            ClaimRefusal.UnknownCode => Problems.Unprocessable("claim-code-unknown", "No claim campaign has this code."),
            ClaimRefusal.Domain => Problems.Unprocessable("claim-email-domain", "This campaign accepts email addresses of some domains only; this address is not one of them."),
            ClaimRefusal.NotStarted => Problems.Conflict("claim-campaign-not-started", "The campaign of this code has not started yet."),
            ClaimRefusal.Ended => Problems.Conflict("claim-campaign-ended", "The campaign of this code has ended."),
            ClaimRefusal.Closed => Problems.Conflict("claim-campaign-closed", "The campaign of this code was closed."),
            ClaimRefusal.Exhausted => Problems.Conflict("claim-campaign-exhausted", "Every badge of this campaign has been claimed."),
            ClaimRefusal.CodeUsed => Problems.Conflict("claim-code-used", "This single-use code has already been used."),
            ClaimRefusal.LevelRequired => result.Missing!.Problem(),
            _ => Problems.Conflict("no-signing-key", "The issuer's current signing key is not loaded in this service; the badge cannot be issued now."),
        };
    }

    /// <summary>Over the claims' rate, the form gets the form again, saying so in its language (429).</summary>
    private sealed class TooManyPage : IRateLimitedPage
    {
        public async Task RejectAsync(HttpContext http)
        {
            string? lang = null, campaign = null;
            try
            {
                var form = await http.Request.ReadFormAsync(http.RequestAborted);
                (lang, campaign) = (form["lang"].Count == 1 ? form["lang"][0] : null, form["campaign"].Count == 1 ? form["campaign"][0] : null);
            }
            catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
            {
                // A form that cannot be read still gets the page, in the language Accept-Language picks.
            }
            var language = PageLanguages.Choose(lang, http.Request) ?? PageLanguages.Default;
            var pages = http.RequestServices.GetRequiredService<BadgePages>();
            var page = await pages.ClaimTooManyAsync(language, campaign is not null && PublicIds.LooksValid(campaign) ? campaign : null, http.RequestAborted);
            await page.ExecuteAsync(http);
        }
    }
}
