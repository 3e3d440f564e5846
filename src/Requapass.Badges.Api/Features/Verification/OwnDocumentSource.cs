using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.OpenBadges3;

namespace Requapass.Badges.Api.Features.Verification;

/// <summary>
/// Answers a verification's requests for documents under our own public base URL from the database,
/// exactly as the public endpoints would serve them, without an HTTP call to ourselves (issue #5).
/// Everything else goes to the foreign source (the guarded fetcher). A path under our base that is
/// not a public document answers 404: nothing under our base is ever fetched over the network.
/// </summary>
/// <remarks>
/// With <c>v3</c> it serves the OB 3.0 documents as well (the issuer Profile with its keys, a key's JWK, the
/// 1EdTech revocation list, a credential as JSON or VC-JWT), as the /ob3 routes do.
/// </remarks>
public sealed class OwnDocumentSource(BadgesDbContext db, PublicUrls urls, ObDocuments documents, OwnDocumentCache cache, IDocumentSource foreign,
    Credentials3? v3 = null) : IDocumentSource
{
    private readonly Uri _base = new(urls.Base + "/");

    /// <inheritdoc/>
    public async Task<SourcedDocument> GetAsync(Uri url, string? accept, CancellationToken ct)
    {
        if (OwnPath(url) is not { } path) { return await foreign.GetAsync(url, accept, ct); }
        return path.Split('/') switch
        {
            ["public", "issuers", var id] => await cache.GetOrLoadAsync(path,
                async () => Json(await DocumentRows.Issuer(id, db, ct) is { } row ? documents.Profile(row) : null)),
            ["public", "issuers", var id, "revocations"] => Json(await DocumentRows.RevocationList(id, db, urls, ct)),
            ["public", "badges", var id] => await cache.GetOrLoadAsync(path,
                async () => Json(await DocumentRows.BadgeClass(id, db, ct) is { } row ? documents.BadgeClass(row) : null)),
            ["public", "badges", var id, "translations", var language] => await cache.GetOrLoadAsync(path,
                async () => Json(await DocumentRows.BadgeClass(id, db, ct) is { } row ? documents.BadgeClass(row, language) : null)),
            ["public", "keys", var id] => await cache.GetOrLoadAsync(path, async () => Json(await DocumentRows.Key(id, db, urls, ct))),
            ["public", "assertions", var id] when id.EndsWith(".jws", StringComparison.Ordinal) => await AssertionAsync(id[..^4], "application/jose", ct),
            ["public", "assertions", var id] => await AssertionAsync(id, accept, ct),
            ["public", "endorsements", var id] => await EndorsementAsync(id, ct),
            ["public", "issuers", var id, "ob3"] when v3 is not null => await cache.GetOrLoadAsync(path,
                async () => Json(await DocumentRows.Issuer(id, db, ct) is { } row ? v3.Documents.Profile(row, await Ob3Rows.KeysAsync(id, db, ct)) : null)),
            ["public", "issuers", var id, "ob3", "revocations"] when v3 is not null => Json(await Ob3Rows.RevocationListAsync(id, db, v3.Documents, ct)),
            ["public", "keys", var id, "jwk"] when v3 is not null => await cache.GetOrLoadAsync(path,
                async () => Json(await Ob3Rows.KeyAsync(id, db, ct) is { } key ? v3.Documents.Jwk(key) : null)),
            ["public", "assertions", var id, "ob3"] when v3 is not null => await CredentialAsync(id, accept, v3, ct),
            _ => NotFound,
        };
    }

    /// <inheritdoc/>
    public async ValueTask<bool?> IsIssuerKeyAsync(Uri issuer, string keyId, CancellationToken ct)
    {
        // The 2.0 issuer and key URLs, or their 3.0 twins (the Profile at .../ob3, the JWK at .../jwk: a VC-JWT's kid).
        var issuerId = OwnPath(issuer)?.Split('/') switch
        {
            ["public", "issuers", var i] => i,
            ["public", "issuers", var i, "ob3"] => i,
            _ => null,
        };
        if (issuerId is null) { return null; }
        var keyPublicId = !Uri.TryCreate(keyId, UriKind.Absolute, out var keyUrl) ? null : OwnPath(keyUrl)?.Split('/') switch
        {
            ["public", "keys", var k] => k,
            ["public", "keys", var k, "jwk"] => k,
            _ => null,
        };
        if (keyPublicId is null) { return false; }
        // Every key an issuer has signed with stays published with the issuer as owner (README: rotation).
        return await db.SigningKeys.AsNoTracking().AnyAsync(k => k.PublicId == keyPublicId && db.Issuers.Any(i => i.Id == k.IssuerId && i.PublicId == issuerId), ct);
    }

    /// <inheritdoc/>
    public async ValueTask<RevocationAnswer?> TryCheckRevokedAsync(Uri revocationList, string assertionId, CancellationToken ct)
    {
        var issuerId = OwnPath(revocationList)?.Split('/') switch
        {
            ["public", "issuers", var i, "revocations"] => i,
            ["public", "issuers", var i, "ob3", "revocations"] => i,
            _ => null,
        };
        if (issuerId is null) { return null; }
        // Our lists name signed badges by urn:uuid and hosted ones by URL (DocumentRows.RevocationList).
        if (assertionId.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
        {
            var uuid = assertionId["urn:uuid:".Length..].ToLowerInvariant();
            return await cache.GetOrLoadRevocationAsync($"{issuerId} {uuid}", async () => Answer(await RevocationByUuid(db, issuerId, uuid)));
        }
        // A 2.0 assertion's URL or its 3.0 credential's (.../ob3): the same award, the same revocation.
        var publicId = !Uri.TryCreate(assertionId, UriKind.Absolute, out var url) ? null : OwnPath(url)?.Split('/') switch
        {
            ["public", "assertions", var a] => a,
            ["public", "assertions", var a, "ob3"] => a,
            _ => null,
        };
        if (publicId is not null)
        {
            return await cache.GetOrLoadRevocationAsync($"{issuerId} {publicId}", async () => Answer(await RevocationByPublicId(db, issuerId, publicId)));
        }
        return new RevocationAnswer(false, null); // not one of this issuer's ids, so not on its list
    }

    private static RevocationAnswer Answer(Revocation? row) => new(row?.RevokedAt is not null, row?.RevocationReason);

    private sealed record Revocation(DateTime? RevokedAt, string? RevocationReason);

    // Not EF compiled queries: those bind to one model, and one process may hold both providers' models.
    private static Task<Revocation?> RevocationByUuid(BadgesDbContext db, string issuerId, string uuid) => db.Assertions.AsNoTracking()
        .Where(a => a.Uuid == uuid && a.BadgeClass!.Issuer!.PublicId == issuerId)
        .Select(a => new Revocation(a.RevokedAt, a.RevocationReason)).FirstOrDefaultAsync();

    private static Task<Revocation?> RevocationByPublicId(BadgesDbContext db, string issuerId, string publicId) => db.Assertions.AsNoTracking()
        .Where(a => a.PublicId == publicId && a.BadgeClass!.Issuer!.PublicId == issuerId)
        .Select(a => new Revocation(a.RevokedAt, a.RevocationReason)).FirstOrDefaultAsync();

    private async Task<SourcedDocument> AssertionAsync(string id, string? accept, CancellationToken ct)
    {
        var row = await DocumentRows.Assertion(id, db, ct);
        if (row is null) { return NotFound; }
        // As GET /public/assertions/{assertionId}: 410 with revoked: true once revoked (OB 2.0 HostedBadge).
        if (row.RevokedAt is not null) { return SourcedDocument.Answer(StatusCodes.Status410Gone, ObJson.ToUtf8(documents.Revoked(row))); }
        if (!row.IsSigned)
        {
            return accept?.StartsWith(JwsDocument.MediaType, StringComparison.Ordinal) == true ? NotFound : Json(documents.Assertion(row));
        }
        return accept?.StartsWith(JwsDocument.MediaType, StringComparison.Ordinal) == true
            ? SourcedDocument.Answer(StatusCodes.Status200OK, System.Text.Encoding.ASCII.GetBytes(row.Jws!), JwsDocument.MediaType)
            : SourcedDocument.Answer(StatusCodes.Status200OK, Base64Url.Decode(row.Jws!.Split('.')[1]));
    }

    /// <summary>As GET /public/assertions/{assertionId}/ob3: 410 once revoked, the VC-JWT when asked for, else the JSON.</summary>
    private async Task<SourcedDocument> CredentialAsync(string id, string? accept, Credentials3 v3, CancellationToken ct)
    {
        var row = await DocumentRows.Assertion(id, db, ct);
        if (row is null) { return NotFound; }
        if (row.RevokedAt is not null) { return SourcedDocument.Answer(StatusCodes.Status410Gone, ObJson.ToUtf8(documents.Revoked(row))); }
        if (accept?.StartsWith(Core.OpenBadges3.VcJwt.MediaType, StringComparison.Ordinal) == true)
        {
            var token = await v3.TokenAsync(row, db, ct);
            return token is null ? SourcedDocument.Answer(StatusCodes.Status503ServiceUnavailable, null)
                : SourcedDocument.Answer(StatusCodes.Status200OK, System.Text.Encoding.ASCII.GetBytes(token), Core.OpenBadges3.VcJwt.MediaType);
        }
        var badge = await DocumentRows.BadgeClass(row.BadgeClassPublicId, db, ct);
        var issuer = badge is null ? null : await DocumentRows.Issuer(badge.IssuerPublicId, db, ct);
        return issuer is null ? NotFound : Json(v3.Documents.Credential(row, badge!, issuer));
    }

    /// <summary>As GET /public/endorsements/{endorsementId}: 410 with revoked: true once revoked.</summary>
    private async Task<SourcedDocument> EndorsementAsync(string id, CancellationToken ct) =>
        await DocumentRows.Endorsement(id, db, ct) switch
        {
            null => NotFound,
            { RevokedAt: not null } row => SourcedDocument.Answer(StatusCodes.Status410Gone, ObJson.ToUtf8(documents.RevokedEndorsement(row))),
            var row => Json(documents.Endorsement(row)),
        };

    /// <summary>The path under our public base (no leading slash), or null for a foreign URL.</summary>
    private string? OwnPath(Uri url)
    {
        if (!string.Equals(url.Scheme, _base.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(url.Host, _base.Host, StringComparison.OrdinalIgnoreCase) || url.Port != _base.Port
            || !url.AbsolutePath.StartsWith(_base.AbsolutePath, StringComparison.Ordinal))
        {
            return null;
        }
        return url.AbsolutePath[_base.AbsolutePath.Length..].TrimEnd('/');
    }

    private static SourcedDocument NotFound { get; } = SourcedDocument.Answer(StatusCodes.Status404NotFound, null);

    private static SourcedDocument Json<T>(T? document) where T : class =>
        document is null ? NotFound : SourcedDocument.Answer(StatusCodes.Status200OK, ObJson.ToUtf8(document));
}
