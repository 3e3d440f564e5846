using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>
/// The volunteer's skills map (issue #13, part 1), anonymous. A map is started with an email address
/// and opened with the capability token its mail carries, as the last path segment of the link: the
/// token is never in an answer (the mail proves the address), the routes are logged and traced by
/// their template (<c>{token}</c>), and every token route answers <c>Cache-Control: no-store</c> and
/// <c>Referrer-Policy: no-referrer</c> (Infrastructure/SecurityHeaders), so no cache or linked site
/// keeps it. A token that opens nothing is a 404, the same for a deleted map and a made-up token.
/// </summary>
public static class SkillsMapsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string AcceptedDetail =
        "If this address can receive mail, a private link to the skills map is on its way to it. A link mailed before for the same map no longer works.";

    public static RouteGroupBuilder MapSkillsMapEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/competences", Competences).WithTags("Skills maps").WithName("GetCompetenceGuide")
            .WithSummary("The RECTEC+ competences a skills map picks from, with each level's description and criteria (fr, nl, en: each text says its language; a language the catalogue file lacks falls back to its default language).");
        var group = routes.MapGroup("/skills-maps").WithTags("Skills maps").DisableAntiforgery();
        group.MapPost("", Start).WithName("StartSkillsMap").RequireRateLimiting(RateLimits.SkillsMapMails)
            .WithSummary("Start a skills map: its private link is mailed to the address. JSON answers 202, the same whatever the address; the start page's form answers a page.")
            .Accepts<StartSkillsMapRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<SkillsMapAcceptedResponse>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status200OK, typeof(string), ContentNegotiation.Html)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/new", (string? lang, HttpRequest request, BadgePages pages) => pages.SkillsMapStartAsync(lang, request, null, null))
            .WithName("GetSkillsMapStartPage").WithSummary("The page that starts a skills map: a form for an email address and a language (HTML).");
        group.MapPost("/links", Links).WithName("MailSkillsMapLinks").RequireRateLimiting(RateLimits.SkillsMapMails)
            .WithSummary("Lost link: mails a fresh link for each map of the address (the old links stop working). 202, the same whatever the address.")
            .Produces<SkillsMapAcceptedResponse>(StatusCodes.Status202Accepted).ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status429TooManyRequests).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var map = group.MapGroup("/{token}").RequireRateLimiting(RateLimits.SkillsMaps).AddEndpointFilter(NoStore)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        map.MapGet("", Read).WithName("GetSkillsMap")
            .WithSummary("The map (JSON), or for browsers its printable page; ?format=pdf the PDF, ?format=html the page whatever Accept says.")
            .Produces<SkillsMapResponse>().Produces(StatusCodes.Status200OK, typeof(byte[]), SkillsMapPdf.MediaType);
        map.MapPatch("", Update).WithName("UpdateSkillsMap").WithSummary("Change the map's title and language.").ProducesValidationProblem();
        map.MapDelete("", Delete).WithName("DeleteSkillsMap").WithSummary("Delete the map, its experiences and competences, and its pending mails: the link then opens nothing.");
        map.MapGet("/pdf", Pdf).WithName("GetSkillsMapPdf").WithSummary("The map as a PDF to print or bring to an interview.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), SkillsMapPdf.MediaType);
        map.MapPost("/experiences", AddExperience).WithName("AddSkillsMapExperience")
            .WithSummary($"Add an experience with up to {Limits.SkillsMapCompetences} competences (catalogue keys, level 1-4, an example); at most {Limits.SkillsMapExperiences} experiences.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);
        map.MapPut("/experiences/{experienceId}", ReplaceExperience).WithName("ReplaceSkillsMapExperience")
            .WithSummary("Replace an experience and its competences.").ProducesValidationProblem();
        map.MapDelete("/experiences/{experienceId}", DeleteExperience).WithName("DeleteSkillsMapExperience").WithSummary("Delete an experience.");
        return group;
    }

    private static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    public static Ok<CompetenceGuideResponse> Competences(string? lang, HttpRequest request, RectecCatalogue catalogue) =>
        TypedResults.Ok(SkillsMapCompetences.Guide(catalogue, PageLanguages.Choose(lang, request) ?? PageLanguages.Default));

    public static async Task<IResult> Start(HttpRequest request, SkillsMapMails mails, BadgePages pages, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            string? One(string name) => form[name].Count == 1 ? form[name][0] : null;
            var language = PageLanguages.Choose(One("lang"), request) ?? PageLanguages.Default;
            var input = new StartSkillsMapRequest(One("email"), One("locale") ?? language, null);
            var errors = new ValidationErrors();
            InputRules.Check(input, errors);
            var outcome = errors.Any ? new SkillsMapMailOutcome(errors.ToDictionary()) : await mails.StartAsync(input, language, ct);
            return outcome.Errors is null && !outcome.MailOff
                ? await pages.SkillsMapSentAsync(language)
                : await pages.SkillsMapStartAsync(language, request, input.Email, outcome.MailOff ? "map_error_mail_off" : "map_error_email");
        }
        if (!request.HasJsonContentType()) { return Problems.UnsupportedMediaType("Send the request as application/json, or as the start page's form."); }
        StartSkillsMapRequest? body;
        try { body = await request.ReadFromJsonAsync<StartSkillsMapRequest>(Json, ct); }
        catch (JsonException e) { return Problems.BadRequest("invalid-json", $"The body is not a valid request: {e.Message}"); }
        if (body is null) { return Problems.BadRequest("invalid-json", "The body is empty: send { \"email\": ... }."); }
        var limits = new ValidationErrors();
        InputRules.Check(body, limits);
        if (limits.Any) { return limits.ToProblem(); }
        return Answer(await mails.StartAsync(body, PageLanguages.Choose(null, request) ?? PageLanguages.Default, ct));
    }

    public static async Task<IResult> Links(SkillsMapLinksRequest body, SkillsMapMails mails, CancellationToken ct) =>
        Answer(await mails.LinksAsync(body, ct));

    private static IResult Answer(SkillsMapMailOutcome outcome) =>
        outcome.Errors is { } errors ? Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value))
        : outcome.MailOff ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: Problems.Type("mail-off"), title: "Mail is off.",
            detail: "This service sends no mail (Mail:Host is not set), so it cannot send a skills map's link.")
        : TypedResults.Accepted((string?)null, new SkillsMapAcceptedResponse("accepted", AcceptedDetail));

    public static async Task<IResult> Read(
        string token, string? format, string? lang, HttpRequest request, BadgesDbContext db, RectecCatalogue catalogue, BadgePages pages, PageTexts texts, TimeProvider clock, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        var read = await SkillsMapEditing.ReadAsync(db, catalogue, map, ct);
        if (format == "pdf") { return SkillsMapPdf.Result(read, catalogue, texts); }
        if (format == "html" || ContentNegotiation.PrefersHtml(request)) { return await pages.SkillsMapAsync(read, catalogue, lang, request); }
        return TypedResults.Ok(read);
    }

    public static async Task<IResult> Pdf(string token, BadgesDbContext db, RectecCatalogue catalogue, PageTexts texts, TimeProvider clock, CancellationToken ct) =>
        await OpenAsync(db, token, clock, ct) is { } map ? SkillsMapPdf.Result(await SkillsMapEditing.ReadAsync(db, catalogue, map, ct), catalogue, texts) : NotFound();

    public static async Task<IResult> Update(string token, UpdateSkillsMapRequest body, BadgesDbContext db, RectecCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        string? locale = null;
        if (body.Locale is not null && (locale = Mail.MailLanguages.Parse(body.Locale)) is null) { return Problems.Invalid("locale", "locale must be fr, nl or en."); }
        if (body.Title is not null) { map.Title = string.IsNullOrWhiteSpace(body.Title) ? null : body.Title.Trim(); }
        if (locale is not null) { map.Locale = locale; }
        map.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await SkillsMapEditing.ReadAsync(db, catalogue, map, ct));
    }

    public static async Task<IResult> Delete(string token, BadgesDbContext db, TimeProvider clock, ILoggerFactory logs, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        // One statement: the database deletes the experiences, their competences and the map's mails (ON DELETE CASCADE).
        await db.SkillsMaps.Where(m => m.Id == map.Id).ExecuteDeleteAsync(ct);
        logs.CreateLogger(typeof(SkillsMapsApi)).LogInformation("Skills map {Map} deleted by its owner.", map.PublicId);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> AddExperience(string token, ExperienceRequest body, BadgesDbContext db, RectecCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = SkillsMapEditing.Check(body, catalogue, DateOnly.FromDateTime(now));
        if (errors.Any) { return errors.ToProblem(); }
        if (await db.SkillsMapExperiences.CountAsync(e => e.MapId == map.Id, ct) >= Limits.SkillsMapExperiences)
        {
            return Problems.Conflict("skills-map-full", $"A skills map holds at most {Limits.SkillsMapExperiences} experiences.");
        }
        var saved = await SkillsMapEditing.SaveAsync(db, map, null, body, now, ct);
        var read = await SkillsMapEditing.ReadAsync(db, catalogue, map, ct);
        return TypedResults.Created((string?)null, read.Experiences.Single(e => e.Id == saved.PublicId));
    }

    public static async Task<IResult> ReplaceExperience(
        string token, string experienceId, ExperienceRequest body, BadgesDbContext db, RectecCatalogue catalogue, TimeProvider clock, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        var existing = await db.SkillsMapExperiences.SingleOrDefaultAsync(e => e.PublicId == experienceId && e.MapId == map.Id, ct);
        if (existing is null) { return Problems.NotFound("experience"); }
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = SkillsMapEditing.Check(body, catalogue, DateOnly.FromDateTime(now));
        if (errors.Any) { return errors.ToProblem(); }
        await SkillsMapEditing.SaveAsync(db, map, existing, body, now, ct);
        var read = await SkillsMapEditing.ReadAsync(db, catalogue, map, ct);
        return TypedResults.Ok(read.Experiences.Single(e => e.Id == experienceId));
    }

    public static async Task<IResult> DeleteExperience(string token, string experienceId, BadgesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await OpenAsync(db, token, clock, ct) is not { } map) { return NotFound(); }
        var deleted = await db.SkillsMapExperiences.Where(e => e.PublicId == experienceId && e.MapId == map.Id).ExecuteDeleteAsync(ct);
        return deleted == 0 ? Problems.NotFound("experience") : TypedResults.NoContent();
    }

    /// <summary>The map the token opens, its last use noted (retention of abandoned maps counts from it).</summary>
    private static async Task<Data.Entities.SkillsMapEntity?> OpenAsync(BadgesDbContext db, string token, TimeProvider clock, CancellationToken ct)
    {
        var map = await SkillsMapTokens.FindAsync(db, token, ct);
        if (map is not null)
        {
            map.LastUsedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return map;
    }

    private static ProblemHttpResult NotFound() => Problems.NotFound("skills map");
}
