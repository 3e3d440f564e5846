using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Requapass.Badges.Api.Features.Baking;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Fetching;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Features.Verification;

/// <summary>A badge to verify, as JSON: exactly one of <c>url</c>, <c>assertion</c>, <c>jws</c>, <c>endorsement</c> or <c>credential</c>.</summary>
/// <param name="Url">The URL of a hosted assertion (or of a JWS), or of a hosted Endorsement.</param>
/// <param name="Assertion">An assertion object; a hosted one is trusted only for its id.</param>
/// <param name="Jws">A signed badge as a compact JWS.</param>
/// <param name="Recipient">An email, URL or telephone number: was the badge awarded to it?</param>
/// <param name="Endorsement">An Endorsement object (OB 2.0); trusted only for its id, as a hosted assertion.</param>
/// <param name="Credential">An Open Badges 3.0 OpenBadgeCredential: its VC-JWT (a string) or its JSON (an object, whose id is asked for its VC-JWT).</param>
public sealed record VerifyRequest([property: MaxLength(Limits.Url)] string? Url, JsonElement? Assertion, [property: MaxLength(Limits.Jws)] string? Jws, [property: MaxLength(Limits.Identity)] string? Recipient,
    JsonElement? Endorsement = null, JsonElement? Credential = null);

/// <summary>One endorsement of the verified badge, verified on its own: it does not change the badge's validity.</summary>
/// <param name="Of">Where it was listed: assertion, badgeclass or issuer.</param>
public sealed record EndorsementCheckResponse(
    string Id, string Of, bool Valid, bool Revoked, string? Issuer, string? ClaimId, string? Comment, IReadOnlyList<VerificationCheckResponse> Checks);

/// <summary>One line of the report.</summary>
/// <param name="Name">A stable name, such as signed.signature or hosted.scope.</param>
/// <param name="Status">pass, fail or warning.</param>
/// <param name="Message">What was found, in plain words.</param>
public sealed record VerificationCheckResponse(string Name, string Status, string Message);

/// <summary>
/// The verification report. A badge that fails verification is still a 200 with valid: false; the
/// checks say why. For a badge, <c>endorsementCount</c> counts the endorsements its assertion, class and
/// issuer list, and <c>endorsements</c> reports the first ten, each checked (OB 2.0 "Endorsement").
/// For an endorsement (input <c>endorsement</c>, or a <c>url</c> that serves one), <c>endorsement</c> is
/// the hosted copy and <c>issuer</c> the endorser's profile.
/// </summary>
public sealed record VerificationResponse(
    bool Valid,
    bool Revoked,
    bool Expired,
    bool? RecipientMatches,
    string Input,
    string? VerificationType,
    string? RevocationReason,
    DateTimeOffset VerifiedAt,
    IReadOnlyList<VerificationCheckResponse> Checks,
    JsonElement? Assertion,
    JsonElement? BadgeClass,
    JsonElement? Issuer,
    JsonElement? Endorsement,
    int EndorsementCount,
    IReadOnlyList<EndorsementCheckResponse> Endorsements,
    [property: System.ComponentModel.Description("2 for an Open Badges 2.0 badge; 3 for an Open Badges 3.0 credential (assertion is then the credential, badgeClass its Achievement, issuer its Profile).")]
    int OpenBadgesVersion = 2);

/// <summary>POST /public/verify: is this badge real, still valid, and this person's? (issue #5)</summary>
public static class VerifyApi
{

    /// <summary>Baked images up to 2 MB; JSON bodies (an assertion may embed data URI images) likewise.</summary>
    public const int MaxBytes = 2 * 1024 * 1024;

    public static IEndpointRouteBuilder MapVerifyEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/verify", Verify).WithName("VerifyBadge").WithBodyLimit(Limits.UploadBody).WithTags("Verification")
            .RequireRateLimiting(RateLimits.Verify).AsHeavyWork(HeavyWorkKind.Verification).RequireCors(HttpNames.VerifyCors).DisableAntiforgery()
            .WithSummary("Verify an Open Badges 2.0 badge or 3.0 credential, ours or any issuer's: a baked PNG or SVG (multipart field 'image', "
                + "at most 2 MB, with an optional 'recipient' field), or JSON with one of url, assertion, jws, endorsement (an Open Badges 2.0 Endorsement) "
                + "or credential (an Open Badges 3.0 VC-JWT string or credential object) and an optional recipient.")
            .WithDescription("Answers 200 with a report for any badge it can read, valid or not; 4xx only when the request itself "
                + "cannot be read. Foreign documents are fetched under SSRF guards (public addresses only, 3 redirects, 5 s, 1 MB, "
                + "10 fetches per verification); our own badges are read from the database.")
            .Accepts<VerifyRequest>("application/json", "multipart/form-data", "image/png", "image/svg+xml", "application/octet-stream")
            .Produces<VerificationResponse>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        return routes;
    }

    public static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> Verify(
        HttpRequest request, BadgesDbContext db, PublicUrls urls, ObDocuments documents, OwnDocumentCache cache, GuardedFetcher fetcher, TimeProvider clock, BadgeMetrics metrics,
        VerificationCounter counter, OpenBadges3.Credentials3 v3, CancellationToken ct)
    {
        var answer = await VerifyAsync(request, db, urls, documents, cache, fetcher, clock, metrics, v3, ct);
        // The barometer counts verifications of our badges (Features/Statistics); never a reason to fail.
        if (answer.Result is Ok<VerificationResponse> { Value: { } report }) { counter.Count(report.Assertion); }
        return answer;
    }

    private static async Task<Results<Ok<VerificationResponse>, ProblemHttpResult>> VerifyAsync(
        HttpRequest request, BadgesDbContext db, PublicUrls urls, ObDocuments documents, OwnDocumentCache cache, GuardedFetcher fetcher, TimeProvider clock, BadgeMetrics metrics,
        OpenBadges3.Credentials3 v3, CancellationToken ct)
    {
        if (request.ContentLength > MaxBytes + 64 * 1024) { return TooLarge(); }
        var source = new OwnDocumentSource(db, urls, documents, cache, new FetchingDocumentSource(fetcher), v3);
        if (request.HasJsonContentType())
        {
            var (body, problem) = await ReadJsonAsync(request, ct);
            if (body is null) { return problem!; }
            var verifier = new BadgeVerifier(source, clock.GetUtcNow(), body.Recipient, ct);
            return body switch
            {
                { Url: { } url } => Respond(VerificationInput.Url, await verifier.VerifyUrlAsync(url), clock, metrics),
                { Assertion: { } assertion } => Respond(VerificationInput.Assertion, await verifier.VerifyAssertionAsync(assertion), clock, metrics),
                { Jws: { } jws } => Respond(VerificationInput.Jws, await verifier.VerifyJwsAsync(jws), clock, metrics),
                { Endorsement: { } endorsement } => Respond(VerificationInput.Endorsement, await verifier.VerifyEndorsementAsync(endorsement), clock, metrics),
                { Credential: { ValueKind: JsonValueKind.String } token } => Respond(VerificationInput.Credential, await verifier.VerifyCredentialJwtAsync(token.GetString()!.Trim()), clock, metrics),
                { Credential: { } credential } => Respond(VerificationInput.Credential, await verifier.VerifyCredentialJsonAsync(credential), clock, metrics),
                _ => throw new InvalidOperationException("ReadJsonAsync returns exactly one input."),
            };
        }
        // The route only admits the content types it Accepts (anything else gets a 415 problem).
        {
            var (bytes, form, error) = await BakedUpload.ReadAsync(request, MaxBytes, "image", ct);
            if (bytes is null) { return error!.Contains("larger", StringComparison.Ordinal) ? TooLarge() : Problems.BadRequest("bad-image", error); }
            var recipient = form?["recipient"].ToString() ?? request.Query["recipient"].ToString();
            if (TextRules.Problem(recipient) is { } why) { return Problems.BadRequest("invalid-text", $"The recipient {why}."); }
            var baked = BadgeVerifier.Unbake(bytes);
            var format = bytes[0] == 0x89 ? VerificationInput.Png : VerificationInput.Svg;
            var verifier = new BadgeVerifier(source, clock.GetUtcNow(), recipient, ct);
            if (baked.Ok) { return Respond(format, await verifier.VerifyBakedAsync(baked), clock, metrics); }
            // An image that reads but carries no badge is a badge that fails verification (200); an
            // image that cannot be read at all is a request the verifier cannot read (400).
            return baked.Code == "unbake.none"
                ? Respond(format, NoBadge(baked.Message), clock, metrics)
                : Problems.BadRequest("bad-image", baked.Message);
        }
    }

    private static async Task<(VerifyRequest? Body, ProblemHttpResult? Problem)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes) { return (null, TooLarge()); }
            buffer.Write(chunk, 0, read);
        }
        JsonElement root;
        try
        {
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { MaxDepth = 128 });
            root = JsonElement.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest("bad-json", $"The body is not valid JSON: {e.Message}"));
        }
        if (root.ValueKind != JsonValueKind.Object) { return (null, Problems.BadRequest("bad-json", "The body must be a JSON object with url, assertion, jws, endorsement or credential.")); }
        if (TextRules.Problem(root) is var (path, why)) { return (null, Problems.BadRequest("invalid-text", $"The text at {path} {why}.")); }
        string? url = null, jws = null, recipient = null;
        JsonElement? assertion = null, endorsement = null, credential = null;
        var given = 0;
        foreach (var property in root.EnumerateObject())
        {
            switch (property.Name)
            {
                case "url":
                    if (property.Value.ValueKind != JsonValueKind.String) { return (null, Invalid("url must be a string.")); }
                    (url, given) = (property.Value.GetString(), given + 1);
                    break;
                case "jws":
                    if (property.Value.ValueKind != JsonValueKind.String) { return (null, Invalid("jws must be a string: the compact JWS.")); }
                    (jws, given) = (property.Value.GetString(), given + 1);
                    break;
                case "assertion":
                    if (property.Value.ValueKind != JsonValueKind.Object) { return (null, Invalid("assertion must be a JSON object.")); }
                    (assertion, given) = (property.Value, given + 1);
                    break;
                case "endorsement":
                    if (property.Value.ValueKind != JsonValueKind.Object) { return (null, Invalid("endorsement must be a JSON object.")); }
                    (endorsement, given) = (property.Value, given + 1);
                    break;
                case "credential":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Object)) { return (null, Invalid("credential must be a VC-JWT string or a credential object.")); }
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString()!.Length > Limits.Jws) { return (null, Invalid($"credential is longer than {Limits.Jws} characters.")); }
                    (credential, given) = (property.Value, given + 1);
                    break;
                case "recipient":
                    if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) { return (null, Invalid("recipient must be a string: an email, URL or telephone number.")); }
                    recipient = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
                    break;
            }
        }
        return given == 1
            ? (new VerifyRequest(url, assertion, jws, recipient, endorsement, credential), null)
            : (null, Invalid("Send exactly one of url, assertion, jws, endorsement or credential."));
    }

    private static ProblemHttpResult Invalid(string detail) => Problems.BadRequest("bad-verification-request", detail);

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge,
        type: Problems.Type("too-large"), title: "Too large.", detail: $"The body is larger than {MaxBytes / (1024 * 1024)} MB.");

    private static VerificationReport NoBadge(string message) => new(false, false, false, null, null, null,
        [VerificationCheck.Failed("input.baked", message)], null, null, null);

    /// <summary>The report as the response, counted once here: every answered verification passes through.</summary>
    private static Ok<VerificationResponse> Respond(VerificationInput input, VerificationReport report, TimeProvider clock, BadgeMetrics metrics)
    {
        metrics.Verified(report.Valid, input);
        return TypedResults.Ok(new VerificationResponse(
            report.Valid, report.Revoked, report.Expired, report.RecipientMatches, InputNames[(int)input], report.VerificationType?.Name(), report.RevocationReason,
            clock.GetUtcNow(),
            Checks(report.Checks), report.Assertion, report.BadgeClass, report.Issuer, report.Endorsement, report.EndorsementCount,
            [.. report.Endorsements.Select(e => new EndorsementCheckResponse(e.Id, e.Of, e.Valid, e.Revoked, e.Issuer, e.ClaimId, e.Comment, Checks(e.Checks)))],
            report.Version));
    }

    private static List<VerificationCheckResponse> Checks(IEnumerable<VerificationCheck> checks)
    {
        return [.. checks.Select(c => new VerificationCheckResponse(c.Name, c.Status switch
        {
            CheckStatus.Pass => "pass",
            CheckStatus.Fail => "fail",
            _ => "warning",
        }, c.Message))];
    }

    /// <summary>The report's <c>input</c> values, indexed by <see cref="VerificationInput"/>.</summary>
    private static readonly string[] InputNames = ["url", "assertion", "jws", "png", "svg", "endorsement", "credential"];
}
