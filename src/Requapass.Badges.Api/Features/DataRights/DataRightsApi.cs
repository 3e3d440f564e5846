using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Export;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.DataRights;

/// <summary>
/// The volunteer's rights of access and erasure (issue #15, part 3a; GDPR articles 15, 17 and 20). The
/// public routes: ask for a private link by mail (<c>POST /public/my-data</c>, 202 the same whatever the
/// address), then, with the link's token as the last path segment, read everything tied to the address
/// (page, JSON, ZIP of baked badges) and erase it. As a skills map's token: never in an answer, traced by
/// the route's template, <c>no-store</c> and <c>no-referrer</c>; a token that opens nothing is a 404.
/// The management routes: an issuer's staff erase that issuer's part on a documented request; an admin
/// everything.
/// </summary>
public static class DataRightsApi
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The word the erasure asks for (the page's checkbox sends it), so no stray POST erases anything.</summary>
    public const string ConfirmWord = "erase";

    private const string AcceptedDetail = "If this address can receive mail, a private link to its data is on its way to it.";

    public static RouteGroupBuilder MapPublicDataRightsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/my-data").WithTags("Data rights").DisableAntiforgery();
        group.MapPost("", RequestLink).WithName("RequestDataAccessLink").RequireRateLimiting(RateLimits.DataAccessMails)
            .WithSummary("Ask for a private link to the data kept for an address (badges, skills maps, applications, claims): it is mailed there. JSON answers 202, the same whatever the address; the form answers a page.")
            .Accepts<DataAccessRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<SkillsMapAcceptedResponse>(StatusCodes.Status202Accepted).Produces(StatusCodes.Status200OK, typeof(string), ContentNegotiation.Html)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/new", (string? lang, HttpRequest request, BadgePages pages) => pages.DataAccessStartAsync(lang, request, null, null))
            .WithName("GetDataAccessStartPage").WithSummary("The page that asks for a link to one's data: a form for an email address and a language (HTML).");

        var mine = group.MapGroup("/{token}").RequireRateLimiting(RateLimits.DataAccess).AddEndpointFilter(NoStore)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status429TooManyRequests);
        mine.MapGet("", Read).WithName("GetMyData")
            .WithSummary("Everything kept for the link's address: JSON (format=json, or Accept: application/json), a ZIP of the same JSON with every badge not revoked baked (format=zip), or the page (format=html, or a browser). Each read spends one of the link's uses.")
            .Produces<PersonalDataResponse>().Produces(StatusCodes.Status200OK, typeof(byte[]), "application/zip")
            .Produces(StatusCodes.Status200OK, typeof(string), ContentNegotiation.Html).ProducesValidationProblem();
        mine.MapPost("", Erase).WithName("EraseMyData")
            .WithSummary($"Erase everything kept for the link's address: skills maps and applications deleted, badges revoked (\"{Erasure.Reason}\") and emptied of narrative and evidence, claims emptied. Send confirm: \"{ConfirmWord}\" (JSON, or the page's form).")
            .Accepts<VolunteerErasureRequest>("application/json", "application/x-www-form-urlencoded")
            .Produces<ErasureResponse>().Produces(StatusCodes.Status200OK, typeof(string), ContentNegotiation.Html)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return group;
    }

    public static RouteGroupBuilder MapErasureEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Data rights");
        group.MapPost("/issuers/{issuerId}/erasures", EraseForIssuer).WithName("EraseRecipientForIssuer")
            .WithSummary("On a documented request (reference: a ticket number, a letter's date), erase what this issuer keeps for an address: its badges revoked and emptied, its applications deleted, its claims emptied. Not the volunteer's skills maps.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/erasures", EraseEverywhere).WithName("EraseRecipient").RequireAuthorization(AuthSetup.AdminOnly)
            .WithSummary("Admins: on a documented request, erase what every issuer keeps for an address, and its skills maps, as the volunteer's own erasure does.")
            .ProducesValidationProblem();
        return group;
    }

    private static async ValueTask<object?> NoStore(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        context.HttpContext.Response.Headers.CacheControl = "no-store";
        return await next(context);
    }

    public static async Task<IResult> RequestLink(HttpRequest request, DataAccessLinks links, BadgePages pages, CancellationToken ct)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            string? One(string name) => form[name].Count == 1 ? form[name][0] : null;
            var language = PageLanguages.Choose(One("lang"), request) ?? PageLanguages.Default;
            var input = new DataAccessRequest(One("email"), One("locale") ?? language);
            var errors = new ValidationErrors();
            InputRules.Check(input, errors);
            var outcome = errors.Any ? new SkillsMapMailOutcome(errors.ToDictionary()) : await links.RequestAsync(input, language, ct);
            return outcome.Errors is null && !outcome.MailOff
                ? await pages.DataAccessSentAsync(language)
                : await pages.DataAccessStartAsync(language, request, input.Email, outcome.MailOff ? "map_error_mail_off" : "map_error_email");
        }
        var read = await ReadJsonAsync<DataAccessRequest>(request, ct);
        if (read.Problem is { } problem) { return problem; }
        return Answer(await links.RequestAsync(read.Body!, PageLanguages.Choose(null, request) ?? PageLanguages.Default, ct));
    }

    public static async Task<IResult> Read(
        string token, string? format, string? lang, HttpRequest request, DataAccessLinks links, PersonalData data, BadgePages pages, CancellationToken ct)
    {
        if (format is not (null or "html" or "json" or "zip")) { return Problems.Invalid("format", "format must be html, json or zip."); }
        var html = format == "html" || (format is null && ContentNegotiation.PrefersHtml(request));
        if (await links.OpenAsync(token, ct) is not { } access) { return await GoneAsync(html, lang, request, pages); }
        if (format == "zip")
        {
            return new ZipDownload(PersonalData.ZipFileName, (body, t) => data.WriteZipAsync(body, access.RecipientLookup, access.ExpiresAt, t));
        }
        var read = await data.ReadAsync(access.RecipientLookup, access.ExpiresAt, ct);
        if (!html) { return TypedResults.Ok(read); }
        if (PageLanguages.Choose(lang ?? access.Locale, request) is not { } language) { return await pages.BadLanguageAsync(request, "?format=html"); }
        return await pages.DataAccessAsync(read, language, null);
    }

    public static async Task<IResult> Erase(
        string token, HttpRequest request, DataAccessLinks links, PersonalData data, Erasure erasure, BadgePages pages, ILoggerFactory logs, CancellationToken ct)
    {
        string? confirm;
        string? lang = null;
        var form = request.HasFormContentType;
        if (form)
        {
            var fields = await request.ReadFormAsync(ct);
            (confirm, lang) = (fields["confirm"].Count == 1 ? fields["confirm"][0] : null, fields["lang"].Count == 1 ? fields["lang"][0] : null);
        }
        else
        {
            var read = await ReadJsonAsync<VolunteerErasureRequest>(request, ct);
            if (read.Problem is { } problem) { return problem; }
            confirm = read.Body!.Confirm;
        }
        if (await links.OpenAsync(token, ct) is not { } access) { return await GoneAsync(form, lang, request, pages); }
        var language = PageLanguages.Choose(lang ?? access.Locale, request) ?? PageLanguages.Default;
        if (confirm != ConfirmWord)
        {
            return form ? await pages.DataAccessAsync(await data.ReadAsync(access.RecipientLookup, access.ExpiresAt, ct), language, "data_error_confirm")
                : Problems.Invalid("confirm", $"Send confirm: \"{ConfirmWord}\" to erase the data; nothing was erased.");
        }
        var done = await erasure.EraseAsync(access.RecipientLookup, null, null, ct);
        logs.CreateLogger(typeof(DataRightsApi)).LogInformation(
            "Data access {Access}: erased at the recipient's request ({Revoked} badges revoked, {Cleared} cleared, {Applications} applications, {Claims} claims, {Maps} maps).",
            access.PublicId, done.BadgesRevoked, done.BadgesCleared, done.Applications, done.Claims, done.SkillsMaps);
        return form ? await pages.DataErasedAsync(language) : TypedResults.Ok(done);
    }

    public static async Task<Results<Ok<ErasureResponse>, ValidationProblem, ProblemHttpResult>> EraseForIssuer(
        string issuerId, StaffErasureRequest body, BadgesDbContext db, Erasure erasure, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        if (Check(body) is { } invalid) { return invalid; }
        var issuer = await db.Issuers.AsNoTracking().Where(i => i.PublicId == issuerId).Select(i => (long?)i.Id).SingleOrDefaultAsync(ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var done = await erasure.EraseAsync(Lookup(body), issuer, body.Reference!.Trim(), ct);
        logs.CreateLogger(typeof(DataRightsApi)).LogInformation(
            "Erasure for issuer {Issuer} by {Client}, reference {Reference}: {Revoked} badges revoked, {Cleared} cleared, {Applications} applications, {Claims} claims.",
            issuerId, http.Caller().ClientId, done.Reference, done.BadgesRevoked, done.BadgesCleared, done.Applications, done.Claims);
        return TypedResults.Ok(done);
    }

    public static async Task<Results<Ok<ErasureResponse>, ValidationProblem>> EraseEverywhere(
        StaffErasureRequest body, Erasure erasure, HttpContext http, ILoggerFactory logs, CancellationToken ct)
    {
        if (Check(body) is { } invalid) { return invalid; }
        var done = await erasure.EraseAsync(Lookup(body), null, body.Reference!.Trim(), ct);
        logs.CreateLogger(typeof(DataRightsApi)).LogInformation(
            "Erasure across issuers by {Client}, reference {Reference}: {Revoked} badges revoked, {Cleared} cleared, {Applications} applications, {Claims} claims, {Maps} maps.",
            http.Caller().ClientId, done.Reference, done.BadgesRevoked, done.BadgesCleared, done.Applications, done.Claims, done.SkillsMaps);
        return TypedResults.Ok(done);
    }

    private static ValidationProblem? Check(StaffErasureRequest body)
    {
        var errors = new ValidationErrors();
        errors.Required("email", body.Email);
        errors.Required("reference", body.Reference);
        if (!string.IsNullOrWhiteSpace(body.Email) && RecipientNormalizer.Normalize(RecipientType.Email, body.Email).Error is { } error) { errors.Add("email", error); }
        if (body.Reference is { } reference && reference.Any(char.IsControl)) { errors.Add("reference", "reference must be one line of text."); }
        return errors.Any ? errors.ToProblem() : null;
    }

    private static string Lookup(StaffErasureRequest body) => RecipientNormalizer.Normalize(RecipientType.Email, body.Email!).Identity!.LookupKey();

    private static async Task<IResult> GoneAsync(bool html, string? lang, HttpRequest request, BadgePages pages) =>
        html ? await pages.DataAccessGoneAsync(PageLanguages.Choose(lang, request) ?? PageLanguages.Default) : Problems.NotFound("data access link");

    private static IResult Answer(SkillsMapMailOutcome outcome) =>
        outcome.Errors is { } errors ? Problems.Invalid(errors.ToDictionary(e => e.Key, e => e.Value))
        : outcome.MailOff ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, type: Problems.Type("mail-off"), title: "Mail is off.",
            detail: "This service sends no mail (Mail:Host is not set), so it cannot send a data access link.")
        : TypedResults.Accepted((string?)null, new SkillsMapAcceptedResponse("accepted", AcceptedDetail));

    private sealed record JsonRead<T>(T? Body, IResult? Problem);

    /// <summary>A JSON body held to its limits and text rules, or the problem to answer.</summary>
    private static async Task<JsonRead<T>> ReadJsonAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType()) { return new(null, Problems.UnsupportedMediaType("Send the request as application/json, or as the page's form.")); }
        T? body;
        try { body = await request.ReadFromJsonAsync<T>(Json, ct); }
        catch (JsonException e) { return new(null, Problems.BadRequest("invalid-json", $"The body is not a valid request: {e.Message}")); }
        if (body is null) { return new(null, Problems.BadRequest("invalid-json", "The body is empty.")); }
        var limits = new ValidationErrors();
        InputRules.Check(body, limits);
        return limits.Any ? new(null, limits.ToProblem()) : new(body, null);
    }
}
