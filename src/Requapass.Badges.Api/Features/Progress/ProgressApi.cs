using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Progress;

/// <summary>Whose grid staff ask for: the address in the body, never in the URL (URLs end up in logs and proxies).</summary>
public sealed record ProgressRequest([property: MaxLength(Limits.Email)] string? Email, [property: MaxLength(Limits.Language)] string? Lang);

/// <summary>
/// The progress grid (issue #13, part 3): 8 competences x 4 levels for one recipient, as JSON or as an
/// SVG picture (Accept: image/svg+xml, or ?format=svg), in fr, nl or en.
/// Two audiences:
/// - the volunteer, proved by a capability token (<see cref="IRecipientProof"/>), sees every badge they
///   hold on the service, with its URL: GET /public/recipients/progress, rate-limited per address;
/// - staff, for their own issuer: POST /api/v1/issuers/{issuerId}/recipients/progress with the email in
///   the body (a POST keeps the address out of URLs, access logs and proxies). Staff see the badges
///   THEIR issuer awarded (with URLs); a level held only at another issuer is counted per competence
///   (heldElsewhere), never shown (no URL, issuer or date), and the next step counts it. That is exactly
///   what the award rule would tell them anyway (a strict award answers 409 or not), and no more: other
///   issuers' awards stay theirs to publish.
/// </summary>
public static class ProgressApi
{
    public const string SvgType = "image/svg+xml";

    public static RouteGroupBuilder MapProgressEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Progress");
        group.MapPost("/issuers/{issuerId}/recipients/progress", Staff).WithName("GetRecipientProgressForIssuer")
            .WithSummary("A recipient's RECTEC+ grid as this issuer's staff may see it: the email in the body; JSON, or SVG with Accept: image/svg+xml or ?format=svg.")
            .Produces<ProgressGridResponse>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status200OK, typeof(string), SvgType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return group;
    }

    public static RouteGroupBuilder MapPublicProgressEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Progress");
        group.MapGet("/recipients/progress", Public).WithName("GetRecipientProgress")
            .WithSummary("The volunteer's own RECTEC+ grid, proved by their capability token (Authorization: Bearer <token>, or ?token=); JSON, or SVG with Accept: image/svg+xml or ?format=svg.")
            .Produces<ProgressGridResponse>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status200OK, typeof(string), SvgType)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireRateLimiting(RateLimits.Progress);
        return group;
    }

    public static async Task<IResult> Staff(
        string issuerId, ProgressRequest request, [Description("svg for the picture (else Accept decides).")] string? format, HttpContext http,
        BadgesDbContext db, Pathways pathways, RectecCatalogue catalogue, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        errors.Required("email", request.Email);
        var (recipient, error) = string.IsNullOrWhiteSpace(request.Email) ? (null, null) : RecipientNormalizer.Normalize(RecipientType.Email, request.Email);
        if (error is not null) { errors.Add("email", error); }
        var language = Language(request.Lang, errors);
        if (Format(format, errors) is var svg && errors.Any) { return errors.ToProblem(); }
        var held = await pathways.HeldAsync(recipient!.LookupKey(), ct);
        var grid = ProgressGrids.Build(catalogue, urls, held, await AppliedAsync(db, pathways, recipient.LookupKey(), issuer.Id, ct), language, issuer.Id);
        return Answer(grid, svg, http);
    }

    public static async Task<IResult> Public(
        [Description("The capability token, when not sent as Authorization: Bearer.")] string? token, string? lang,
        [Description("svg for the picture (else Accept decides).")] string? format, HttpContext http,
        IRecipientProof proof, BadgesDbContext db, Pathways pathways, RectecCatalogue catalogue, PublicUrls urls, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var language = Language(lang, errors);
        var svg = Format(format, errors);
        if (errors.Any) { return errors.ToProblem(); }
        var header = http.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : token;
        var lookup = string.IsNullOrEmpty(presented) || presented.Length > Limits.Secret ? null : await proof.RecipientLookupAsync(presented, ct);
        if (lookup is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, type: Problems.Type("recipient-not-proved"), title: "Unauthorized.",
                detail: "Send the private token from your link (Authorization: Bearer <token>, or ?token=); this one proves no recipient.");
        }
        var grid = ProgressGrids.Build(catalogue, urls, await pathways.HeldAsync(lookup, ct), await AppliedAsync(db, pathways, lookup, null, ct), language, visibleIssuerId: null);
        return Answer(grid, svg, http);
    }

    /// <summary>
    /// The levels the recipient has applied for and that wait for a decision (pending, or waiting for the
    /// volunteer's answer): from the volunteer's skills maps (same lookup key), to any issuer for the
    /// volunteer, to <paramref name="issuerId"/> only for its staff (another association's review queue is
    /// not theirs to see).
    /// </summary>
    private static async Task<IReadOnlySet<CompetenceLevel>> AppliedAsync(
        BadgesDbContext db, Pathways pathways, string recipientLookup, long? issuerId, CancellationToken ct)
    {
        var codes = await db.Applications.AsNoTracking()
            .Where(a => a.RecipientLookup == recipientLookup && Applications.ApplicationStatus.Open.Contains(a.Status)
                && (issuerId == null || a.IssuerId == issuerId))
            .Join(db.BadgeClasses, a => a.BadgeClassId, b => b.Id, (a, b) => b.CatalogueCode)
            .Where(code => code != null).Distinct().ToListAsync(ct);
        return codes.Select(pathways.LevelOf).OfType<CompetenceLevel>().ToHashSet();
    }

    private static string Language(string? lang, ValidationErrors errors)
    {
        var language = (lang ?? "fr").Trim().ToLowerInvariant();
        if (language is not ("fr" or "nl" or "en")) { errors.Add("lang", "lang must be fr, nl or en."); }
        return language;
    }

    private static bool? Format(string? format, ValidationErrors errors)
    {
        if (format is null) { return null; }
        if (format is "svg") { return true; }
        if (format is "json") { return false; }
        errors.Add("format", "format must be json or svg.");
        return null;
    }

    private static IResult Answer(ProgressGridResponse grid, bool? svg, HttpContext http)
    {
        // Personal data: never stored by a cache on the way.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.Vary = "Accept";
        var wantsSvg = svg ?? http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(SvgType, StringComparison.OrdinalIgnoreCase));
        return wantsSvg ? TypedResults.Content(ProgressSvg.Render(grid), SvgType + "; charset=utf-8") : TypedResults.Ok(grid);
    }
}
