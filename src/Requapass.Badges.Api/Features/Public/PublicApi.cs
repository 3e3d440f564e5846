using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Pages;
using Requapass.Badges.Api.Features.OpenBadges3;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>
/// The anonymous, read-only, cacheable endpoints that portfolio platforms and validators fetch.
/// These are the hot paths: each is one query that selects only the columns its document needs.
/// </summary>
public static class PublicApi
{

    public static RouteGroupBuilder MapPublicDocumentEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Public Open Badges documents").ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/issuers/{issuerId}", GetIssuer).WithName("GetPublicIssuer")
            .WithSummary("The issuer Profile as Open Badges 2.0 JSON-LD; its page (HTML) for a client that prefers text/html.").WithDescription(PageNote);
        group.MapGet("/badges/{badgeClassId}", GetBadgeClass).WithName("GetPublicBadgeClass")
            .WithSummary("The BadgeClass as Open Badges 2.0 JSON-LD; its page (HTML) for a client that prefers text/html.").WithDescription(PageNote);
        group.MapGet("/badges/{badgeClassId}/translations/{language}", GetBadgeClassTranslation).WithName("GetPublicBadgeClassTranslation")
            .WithSummary("The BadgeClass in another language (listed in its 'related').");
        group.MapGet("/assertions/{assertionId}.jws", GetAssertionJws).WithName("GetPublicAssertionJws")
            .WithSummary("A signed assertion as its compact JWS (application/jose). 404 for a hosted one.")
            .Produces<string>(StatusCodes.Status200OK, JwsDocument.MediaType).ProducesProblem(StatusCodes.Status410Gone);
        group.MapGet("/assertions/{assertionId}", GetAssertion).WithName("GetPublicAssertion")
            .WithSummary("The hosted Assertion as Open Badges 2.0 JSON-LD; 410 with revoked: true once revoked. Its page (HTML) for a client that prefers text/html.")
            .WithDescription(PageNote + " " + Ob3Note)
            .Produces<Core.OpenBadges.RevokedAssertion>(StatusCodes.Status410Gone, JsonLdDocument<Core.OpenBadges.RevokedAssertion>.LdJson);
        return group;
    }

    /// <summary>How the documents' URLs answer browsers.</summary>
    private const string PageNote = "Content negotiation (RFC 9110, section 12.5.1): a client that ranks text/html above the JSON types "
        + "(a browser) gets the human page, in French, Dutch or English (?lang=fr|nl|en, else Accept-Language, else French); "
        + "every other client gets the JSON-LD, byte for byte as without the pages. Both answers carry Vary: Accept and their own ETag.";

    /// <summary>How the assertion URL answers OB 3.0 clients.</summary>
    private const string Ob3Note = "A client that names application/vc+jwt or application/vc+ld+json (at least as high as the other types) gets the award's "
        + "Open Badges 3.0 credential, as at /public/assertions/{assertionId}/ob3.";

    public static async Task<Results<JsonLdDocument<Profile>, HtmlPage, ProblemHttpResult>> GetIssuer(
        string issuerId, [System.ComponentModel.Description("The page's language when a browser asks for HTML: fr, nl or en (else Accept-Language, else fr).")] string? lang, HttpRequest request, ObDocuments documents, PublicAnswerCache answers, CancellationToken ct)
    {
        if (ContentNegotiation.PrefersHtml(request)) { return await request.Service<BadgePages>().IssuerAsync(issuerId, lang, request, ct); }
        var answer = await answers.GetOrLoadAsync("issuer:" + issuerId, async ct =>
            await DocumentRows.Issuer(issuerId, request.Db(), ct) is { } row ? DocumentAnswer.Json(DocumentKind.Document, documents.Profile(row)) : null, ct);
        return answer is null ? Problems.NotFound("issuer") : JsonLdDocument<Profile>.Kept(answer);
    }


    public static async Task<Results<JsonLdDocument<BadgeClass>, HtmlPage, ProblemHttpResult>> GetBadgeClass(
        string badgeClassId, [System.ComponentModel.Description("The page's language when a browser asks for HTML: fr, nl or en (else Accept-Language, else fr).")] string? lang, HttpRequest request, ObDocuments documents, PublicAnswerCache answers, CancellationToken ct)
    {
        if (ContentNegotiation.PrefersHtml(request)) { return await request.Service<BadgePages>().BadgeClassAsync(badgeClassId, lang, request, ct); }
        return await BadgeClassDocument(badgeClassId, null, request, documents, answers, ct) switch
        {
            { Result: JsonLdDocument<BadgeClass> document } => document,
            { Result: var problem } => (ProblemHttpResult)problem,
        };
    }

    public static Task<Results<JsonLdDocument<BadgeClass>, ProblemHttpResult>> GetBadgeClassTranslation(
        string badgeClassId, string language, HttpRequest request, ObDocuments documents, PublicAnswerCache answers, CancellationToken ct) =>
        BadgeClassDocument(badgeClassId, language, request, documents, answers, ct);

    public static async Task<Results<JsonLdDocument<Assertion>, JsonLdDocument<RevokedAssertion>, JwsDocument, HtmlPage, CredentialDocument, ProblemHttpResult>> GetAssertion(
        string assertionId, [System.ComponentModel.Description("The page's language when a browser asks for HTML: fr, nl or en (else Accept-Language, else fr).")] string? lang, HttpRequest request, ObDocuments documents,
        PublicAnswerCache answers, CancellationToken ct)
    {
        if (ContentNegotiation.PrefersHtml(request)) { return await request.Service<BadgePages>().AssertionAsync(assertionId, lang, request, ct); }
        // Open Badges 3.0 beside 2.0: a client naming application/vc+jwt or application/vc+ld+json gets the
        // award's credential (the same answer as /ob3); every other client gets the 2.0 bytes as before.
        if (CredentialDocument.Negotiate(request) is { } ob3)
        {
            return await Ob3Api.CredentialAsync(assertionId, ob3, request.Db(), documents, request.Service<Ob3Documents>(), request.Service<CredentialSigner>(),
                request.Service<Features.Signing.KeyRing>(), request.Service<Features.Signing.IssuerKeys>(), ct) switch
            {
                { Result: CredentialDocument credential } => credential,
                { Result: JsonLdDocument<RevokedAssertion> revoked } => revoked,
                { Result: var problem } => (ProblemHttpResult)problem,
            };
        }
        var jose = JwsDocument.IsPreferred(request);
        var answer = await answers.GetOrLoadAsync((jose ? "assertion-jws:" : "assertion:") + assertionId, async ct =>
            await DocumentRows.Assertion(assertionId, request.Db(), ct) is { } row ? AssertionAnswer(row, jose, documents) : null, ct);
        return answer switch
        {
            null => Problems.NotFound("assertion"),
            { Kind: DocumentKind.Revoked } => JsonLdDocument<RevokedAssertion>.Kept(answer),
            { Kind: DocumentKind.Jws } => JwsDocument.Kept(answer),
            _ => JsonLdDocument<Assertion>.Kept(answer),
        };
    }

    private static DocumentAnswer AssertionAnswer(AssertionRow row, bool jose, ObDocuments documents)
    {
        // OB 2.0 "HostedBadge": a revoked hosted assertion answers 410 Gone with revoked: true. A
        // revoked signed one answers the same here, and is listed in the issuer's RevocationList.
        if (row.RevokedAt is not null)
        {
            return DocumentAnswer.Json(DocumentKind.Revoked, documents.Revoked(row), StatusCodes.Status410Gone);
        }
        if (!row.IsSigned) { return DocumentAnswer.Json(DocumentKind.Document, documents.Assertion(row)); }
        // A signed assertion's JSON is exactly the payload that was signed, byte for byte.
        return jose ? DocumentAnswer.Of(DocumentKind.Jws, System.Text.Encoding.ASCII.GetBytes(row.Jws!))
            : DocumentAnswer.Of(DocumentKind.Document, Core.Signing.Base64Url.Decode(row.Jws!.Split('.')[1])!);
    }

    public static async Task<Results<JwsDocument, ProblemHttpResult>> GetAssertionJws(string assertionId, BadgesDbContext db, CancellationToken ct)
    {
        var row = await DocumentRows.Assertion(assertionId, db, ct);
        if (row is null || !row.IsSigned) { return Problems.NotFound("signed assertion"); }
        if (row.RevokedAt is not null) { return Problems.Gone($"This badge was revoked: {row.RevocationReason}"); }
        return new JwsDocument(row.Jws!);
    }


    private static async Task<Results<JsonLdDocument<BadgeClass>, ProblemHttpResult>> BadgeClassDocument(
        string id, string? language, HttpRequest request, ObDocuments documents, PublicAnswerCache answers, CancellationToken ct)
    {
        var answer = await answers.GetOrLoadAsync("badge:" + id + "/" + language, async ct =>
            await DocumentRows.BadgeClass(id, request.Db(), ct) is { } row && documents.BadgeClass(row, language) is { } document
                ? DocumentAnswer.Json(DocumentKind.Document, document) : null, ct);
        return answer is null ? Problems.NotFound(language is null ? "badge class" : "translation of that badge class")
            : JsonLdDocument<BadgeClass>.Kept(answer);
    }

}
