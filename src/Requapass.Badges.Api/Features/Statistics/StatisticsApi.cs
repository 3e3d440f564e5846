using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Statistics;

/// <summary>
/// The barometer (issue #15, part 2): badges awarded, revoked and expired, claims, applications and
/// verifications by third parties, per closed month, broken down by competence, level, outcome, and
/// (REQUAPASS-wide, for platform admins) issuer and territory; as JSON, CSV or an SVG chart. An
/// issuer's staff see their issuer's figures (the scope filter checks issuerId). Small figures are
/// hidden by the k rule (Suppression).
/// </summary>
public static class StatisticsApi
{
    public const string Csv = "text/csv";
    public const string Svg = "image/svg+xml";

    private const string Parameters = "Query: measure (awarded, revoked, expired, claims, applications, verifications; default awarded), "
        + "by (month, competence, level, outcome: claims and applications only, issuer and territory: REQUAPASS-wide only; default month), "
        + "from and to (closed months yyyy-MM, at most 60; default the last 12 closed months), lang (fr, nl, en; default Accept-Language, then fr). "
        + "A closed month's figures are computed once and stored: a later change to that month (an award with a past issuedOn, a revocation, "
        + "an erasure) shows once they are older than Statistics:StoredFiguresLifetime (default one day)";

    public static IEndpointRouteBuilder MapStatisticsEndpoints(this IEndpointRouteBuilder routes)
    {
        var all = routes.MapGroup("/statistics").WithTags("Statistics").RequireAuthorization(AuthSetup.AdminOnly)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        all.MapGet("/", All).WithName("GetStatistics")
            .WithSummary("REQUAPASS-wide figures (platform admins), as JSON or CSV (?format=csv or Accept: text/csv).")
            .WithDescription(Parameters + ", format (json, csv). Counts below Statistics:MinimumCount people are null with suppressed: true.")
            .Produces<StatisticsResponse>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status200OK, typeof(string), Csv)
            .ProducesValidationProblem();
        all.MapGet("/chart", AllChart).WithName("GetStatisticsChart")
            .WithSummary("REQUAPASS-wide figures as an SVG chart: a line over months for by=month, else bars per key over the range.")
            .WithDescription(Parameters + ".")
            .Produces(StatusCodes.Status200OK, typeof(string), Svg).ProducesValidationProblem();
        var mine = routes.MapGroup("/issuers/{issuerId}/statistics").WithTags("Statistics")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        mine.MapGet("/", Issuer).WithName("GetIssuerStatistics")
            .WithSummary("An issuer's figures, as JSON or CSV (?format=csv or Accept: text/csv).")
            .WithDescription(Parameters + ", format (json, csv). Counts below Statistics:MinimumCount people are null with suppressed: true.")
            .Produces<StatisticsResponse>(StatusCodes.Status200OK, "application/json").Produces(StatusCodes.Status200OK, typeof(string), Csv)
            .ProducesValidationProblem();
        mine.MapGet("/chart", IssuerChart).WithName("GetIssuerStatisticsChart")
            .WithSummary("An issuer's figures as an SVG chart: a line over months for by=month, else bars per key over the range.")
            .WithDescription(Parameters + ".")
            .Produces(StatusCodes.Status200OK, typeof(string), Svg).ProducesValidationProblem();
        return routes;
    }

    public static async Task<Results<Ok<StatisticsResponse>, ContentHttpResult, ValidationProblem>> All(
        string? measure, string? by, string? from, string? to, string? lang, string? format, HttpRequest request,
        BadgesDbContext db, RectecCatalogue catalogue, IOptions<StatisticsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (query, errors) = StatisticsQuery.Parse(measure, by, from, to, lang, request, clock.GetUtcNow().UtcDateTime, wholeService: true);
        var csv = WantsCsv(format, request, errors);
        if (query is null || errors.Any) { return errors.ToProblem(); }
        var report = await StatisticsReport.BuildAsync(db, catalogue, query, null, "requapass", options.Value, clock.GetUtcNow().UtcDateTime, ct);
        return csv ? TypedResults.Content(StatisticsCsv.Write(report), Csv + "; charset=utf-8") : TypedResults.Ok(report);
    }

    public static async Task<Results<ContentHttpResult, ValidationProblem>> AllChart(
        string? measure, string? by, string? from, string? to, string? lang, HttpRequest request, HttpResponse response,
        BadgesDbContext db, RectecCatalogue catalogue, IOptions<StatisticsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var (query, errors) = StatisticsQuery.Parse(measure, by, from, to, lang, request, clock.GetUtcNow().UtcDateTime, wholeService: true);
        if (query is null) { return errors.ToProblem(); }
        var report = await StatisticsReport.BuildAsync(db, catalogue, query, null, "requapass", options.Value, clock.GetUtcNow().UtcDateTime, ct);
        return Chart(report, query, catalogue, response);
    }

    public static async Task<Results<Ok<StatisticsResponse>, ContentHttpResult, ProblemHttpResult, ValidationProblem>> Issuer(
        string issuerId, string? measure, string? by, string? from, string? to, string? lang, string? format, HttpRequest request,
        BadgesDbContext db, RectecCatalogue catalogue, IOptions<StatisticsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var (query, errors) = StatisticsQuery.Parse(measure, by, from, to, lang, request, clock.GetUtcNow().UtcDateTime, wholeService: false);
        var csv = WantsCsv(format, request, errors);
        if (query is null || errors.Any) { return errors.ToProblem(); }
        var report = await StatisticsReport.BuildAsync(db, catalogue, query, issuer.Id, issuer.PublicId, options.Value, clock.GetUtcNow().UtcDateTime, ct);
        return csv ? TypedResults.Content(StatisticsCsv.Write(report), Csv + "; charset=utf-8") : TypedResults.Ok(report);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult, ValidationProblem>> IssuerChart(
        string issuerId, string? measure, string? by, string? from, string? to, string? lang, HttpRequest request, HttpResponse response,
        BadgesDbContext db, RectecCatalogue catalogue, IOptions<StatisticsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var (query, errors) = StatisticsQuery.Parse(measure, by, from, to, lang, request, clock.GetUtcNow().UtcDateTime, wholeService: false);
        if (query is null) { return errors.ToProblem(); }
        var report = await StatisticsReport.BuildAsync(db, catalogue, query, issuer.Id, issuer.PublicId, options.Value, clock.GetUtcNow().UtcDateTime, ct);
        return Chart(report, query, catalogue, response);
    }

    /// <summary>?format=csv or json; without it, CSV when the client ranks text/csv above JSON (RFC 9110, section 12.5.1).</summary>
    private static bool WantsCsv(string? format, HttpRequest request, ValidationErrors errors)
    {
        if (format is not null)
        {
            var f = format.Trim().ToLowerInvariant();
            if (f is not ("csv" or "json")) { errors.Add("format", "format must be json or csv."); }
            return f == "csv";
        }
        var accept = request.GetTypedHeaders().Accept;
        return accept.Count > 0 && ContentNegotiation.Quality(accept, Csv) > ContentNegotiation.Quality(accept, "application/json");
    }

    /// <summary>
    /// The chart: an SVG with no script, no link and no external reference, under a policy that allows
    /// none either (its styling is in attributes), so it may be shown in an img element anywhere.
    /// </summary>
    private static ContentHttpResult Chart(StatisticsResponse report, StatisticsQuery query, RectecCatalogue catalogue, HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        response.Headers.ContentDisposition = $"inline; filename=\"{report.Measure}-{report.By}.svg\"";
        var texts = new StatisticsTexts(query.Language, catalogue, new Dictionary<string, string>());
        return TypedResults.Content(StatisticsChart.Render(report, query, texts), Svg + "; charset=utf-8");
    }
}
