using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Data;
using Profile = Requapass.Badges.Core.OpenBadges3.Profile;
using RevocationList = Requapass.Badges.Core.OpenBadges3.RevocationList;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>
/// The Open Badges 3.0 twins of the hosted 2.0 documents (issue #16): the issuer Profile with its keys,
/// each key as a JWK, the Achievement of a class, the credential of an award (JSON-LD or VC-JWT) and the
/// issuer's 1EdTech revocation list. Anonymous and read-only like the 2.0 documents.
/// </summary>
public static class Ob3Api
{
    private const string Tag = "Public Open Badges 3.0 documents";

    public static RouteGroupBuilder MapOb3Endpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags(Tag).ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/issuers/{issuerId}/ob3", GetProfile).WithName("GetOb3Profile")
            .WithSummary("The issuer as an Open Badges 3.0 Profile, its signing keys listed as JWKs (verificationMethod).");
        group.MapGet("/issuers/{issuerId}/ob3/jwks.json", GetJwks).WithName("GetOb3Jwks")
            .WithSummary("The issuer's keys as a JWKS whose kids are the URLs VC-JWT headers name.");
        group.MapGet("/issuers/{issuerId}/ob3/revocations", GetRevocationList).WithName("GetOb3RevocationList")
            .WithSummary("The issuer's 1EdTech revocation list: every revoked credential (always an array), the same awards as its 2.0 RevocationList.");
        group.MapGet("/keys/{keyId}/jwk", GetJwk).WithName("GetPublicKeyJwk")
            .WithSummary("A signing key as a JWK: what a VC-JWT's kid dereferences to.")
            .Produces<Core.Signing.Jwk>(StatusCodes.Status200OK, JwkMediaType);
        group.MapGet("/badges/{badgeClassId}/ob3", GetAchievement).WithName("GetOb3Achievement")
            .WithSummary("The badge class as an Open Badges 3.0 Achievement (?lang= one of its translations).");
        group.MapGet("/assertions/{assertionId}/ob3", GetCredential).WithName("GetOb3Credential")
            .WithSummary("The award as an Open Badges 3.0 OpenBadgeCredential: JSON-LD (application/vc+ld+json) or, for Accept: application/vc+jwt, "
                + "secured as a VC-JWT. 410 with revoked: true once revoked, like the 2.0 assertion.")
            .Produces<OpenBadgeCredential>(StatusCodes.Status200OK, VcJwt.JsonMediaType, VcJwt.MediaType)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .Produces<RevokedAssertion>(StatusCodes.Status410Gone, JsonLdDocument<RevokedAssertion>.LdJson);
        return group;
    }

    public const string JwkMediaType = "application/jwk+json";

    public static async Task<Results<JsonLdDocument<Profile>, ProblemHttpResult>> GetProfile(string issuerId, BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var row = await DocumentRows.Issuer(issuerId, db, ct);
        return row is null ? Problems.NotFound("issuer") : new JsonLdDocument<Profile>(documents.Profile(row, await KeysAsync(issuerId, db, ct)));
    }

    public static async Task<Results<Ok<Jwks>, ProblemHttpResult>> GetJwks(string issuerId, BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var keys = await KeysAsync(issuerId, db, ct);
        return keys.Count == 0 ? Problems.NotFound("issuer with keys") : TypedResults.Ok(new Jwks([.. keys.Select(documents.Jwk)]));
    }

    public static async Task<Results<JsonLdDocument<RevocationList>, ProblemHttpResult>> GetRevocationList(
        string issuerId, BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var list = await Ob3Rows.RevocationListAsync(issuerId, db, documents, ct);
        return list is null ? Problems.NotFound("issuer") : new JsonLdDocument<RevocationList>(list);
    }

    public static async Task<Results<JsonLdDocument<Core.Signing.Jwk>, ProblemHttpResult>> GetJwk(string keyId, BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var key = await Ob3Rows.KeyAsync(keyId, db, ct);
        return key is null ? Problems.NotFound("key") : new JsonLdDocument<Core.Signing.Jwk>(documents.Jwk(key), contentType: JwkMediaType);
    }

    public static async Task<Results<JsonLdDocument<Achievement>, ProblemHttpResult>> GetAchievement(
        string badgeClassId, [System.ComponentModel.Description("A translation's language (fr, nl, en); the class's own language when absent.")] string? lang,
        BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var row = await DocumentRows.BadgeClass(badgeClassId, db, ct);
        var issuer = row is null ? null : await DocumentRows.Issuer(row.IssuerPublicId, db, ct);
        var achievement = issuer is null ? null : documents.Achievement(row!, issuer, lang, standalone: true);
        return achievement is null ? Problems.NotFound(lang is null ? "badge class" : "translation of that badge class") : new JsonLdDocument<Achievement>(achievement);
    }

    public static Task<Results<CredentialDocument, JsonLdDocument<RevokedAssertion>, ProblemHttpResult>> GetCredential(
        string assertionId, HttpRequest request, BadgesDbContext db, ObDocuments v2, Ob3Documents documents, CredentialSigner signer, KeyRing ring, IssuerKeys issuerKeys, CancellationToken ct) =>
        CredentialAsync(assertionId, CredentialDocument.Choose(request), db, v2, documents, signer, ring, issuerKeys, ct);

    /// <summary>
    /// The credential of an award in the representation asked for; shared with the assertion URL's content
    /// negotiation. A revoked award answers as its 2.0 assertion does (OB 2.0 "HostedBadge": 410 with
    /// revoked: true), and its credential is listed in the issuer's 1EdTech revocation list.
    /// </summary>
    public static async Task<Results<CredentialDocument, JsonLdDocument<RevokedAssertion>, ProblemHttpResult>> CredentialAsync(
        string assertionId, string mediaType, BadgesDbContext db, ObDocuments v2, Ob3Documents documents, CredentialSigner signer, KeyRing ring, IssuerKeys issuerKeys,
        CancellationToken ct)
    {
        var row = await DocumentRows.Assertion(assertionId, db, ct);
        if (row is null) { return Problems.NotFound("assertion"); }
        if (row.RevokedAt is not null) { return new JsonLdDocument<RevokedAssertion>(v2.Revoked(row), StatusCodes.Status410Gone); }
        var badge = await DocumentRows.BadgeClass(row.BadgeClassPublicId, db, ct);
        var issuer = badge is null ? null : await DocumentRows.Issuer(badge.IssuerPublicId, db, ct);
        if (issuer is null) { return Problems.NotFound("assertion"); }
        var credential = documents.Credential(row, badge!, issuer);
        if (mediaType != VcJwt.MediaType) { return new CredentialDocument(credential, mediaType); }
        var key = await CredentialSigner.KeyAsync(issuer.PublicId, row.SigningKeyPublicId, db, ring, issuerKeys, ct);
        if (key is null)
        {
            return Problems.Unavailable("no-signing-key", "No signing key for this issuer is loaded on this node; the credential is served as JSON-LD only.");
        }
        var kid = documents.KidUrl(key.PublicId);
        return new CredentialDocument(credential, mediaType, () => signer.Sign(credential, key, kid), kid);
    }

    private static Task<IReadOnlyList<KeyRow>> KeysAsync(string issuerId, BadgesDbContext db, CancellationToken ct) => Ob3Rows.KeysAsync(issuerId, db, ct);
}
