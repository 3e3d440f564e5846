using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Signing;

public sealed record SigningKeyResponse(string Id, string KeyUrl, string Thumbprint, bool Current, DateTime CreatedAt, DateTime? RetiredAt, bool LoadedHere);

/// <summary>Published keys, revocation lists and JWKS (public), and key rotation (admin).</summary>
public static class SigningApi
{
    /// <summary>The public keys and revocation lists verifiers read (public API).</summary>
    public static RouteGroupBuilder MapPublicKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var open = routes.MapGroup("").WithTags("Public Open Badges documents")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        open.MapGet("/keys/{keyId}", GetKey).WithName("GetPublicKey").WithSummary("A CryptographicKey: the public key a signed badge names as its creator.");
        open.MapGet("/issuers/{issuerId}/revocations", GetRevocationList).WithName("GetRevocationList")
            .WithSummary("The issuer's RevocationList: every revoked assertion with its reason (always an array).");
        open.MapGet("/issuers/{issuerId}/jwks.json", GetJwks).WithName("GetIssuerJwks")
            .WithSummary("Every key the issuer has signed with, current and retired, as a JWKS for JOSE tooling.");
        return open;
    }

    /// <summary>An issuer's signing keys, listed and rotated by its staff (management API).</summary>
    public static RouteGroupBuilder MapSigningKeyEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/issuers/{issuerId}/keys").WithTags("Signing keys")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        admin.MapGet("/", ListKeys).WithName("ListSigningKeys").WithSummary("The issuer's signing keys, current first.");
        admin.MapPost("/rotate", Rotate).WithName("RotateSigningKey")
            .WithSummary("Make the next configured key current. Older keys stay published, so older badges keep verifying.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return admin;
    }

    public static async Task<Results<JsonLdDocument<CryptographicKey>, ProblemHttpResult>> GetKey(string keyId, BadgesDbContext db, PublicUrls urls, CancellationToken ct) =>
        await DocumentRows.Key(keyId, db, urls, ct) is { } key ? new JsonLdDocument<CryptographicKey>(key) : Problems.NotFound("key");

    public static async Task<Results<JsonLdDocument<RevocationList>, ProblemHttpResult>> GetRevocationList(
        string issuerId, BadgesDbContext db, PublicUrls urls, CancellationToken ct) =>
        await DocumentRows.RevocationList(issuerId, db, urls, ct) is { } list ? new JsonLdDocument<RevocationList>(list) : Problems.NotFound("issuer");


    public static async Task<Results<Ok<Jwks>, ProblemHttpResult>> GetJwks(string issuerId, BadgesDbContext db, CancellationToken ct)
    {
        var pems = !PublicIds.LooksValid(issuerId) ? null : await db.SigningKeys.AsNoTracking()
            .Where(k => db.Issuers.Any(i => i.Id == k.IssuerId && i.PublicId == issuerId))
            .OrderByDescending(k => k.IsCurrent).ThenBy(k => k.Id).Select(k => k.PublicKeyPem).ToListAsync(ct);
        if (pems is null || pems.Count == 0) { return Problems.NotFound("issuer with keys"); }
        return TypedResults.Ok(new Jwks([.. pems.Select(Jwk)]));
    }

    public static async Task<Results<Ok<SigningKeyResponse[]>, ProblemHttpResult>> ListKeys(
        string issuerId, HttpContext http, BadgesDbContext db, PublicUrls urls, KeyRing ring, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.IssuerId == issuer.Id).OrderByDescending(k => k.IsCurrent).ThenByDescending(k => k.Id).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(k => new SigningKeyResponse(k.PublicId, urls.Key(k.PublicId), k.Thumbprint, k.IsCurrent, k.CreatedAt, k.RetiredAt,
            ring.ByThumbprint(k.Thumbprint) is not null)).ToArray());
    }

    public static async Task<Results<Ok<SigningKeyResponse>, ProblemHttpResult>> Rotate(
        string issuerId, HttpContext http, BadgesDbContext db, IssuerKeys keys, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var row = await keys.RotateAsync(issuer, ct);
        return row is null
            ? Problems.Conflict("no-unused-key", "No configured key is left that this issuer has not used. Add a PEM file to Signing:KeyFiles (or Signing:IssuerKeyFiles), restart, then rotate.")
            : TypedResults.Ok(new SigningKeyResponse(row.PublicId, urls.Key(row.PublicId), row.Thumbprint, true, row.CreatedAt, null, true));
    }

    private static Jwk Jwk(string publicPem)
    {
        using var rsa = System.Security.Cryptography.RSA.Create();
        rsa.ImportFromPem(publicPem);
        var p = rsa.ExportParameters(false);
        return new Jwk("RSA", "sig", "RS256", SigningKey.ThumbprintOf(p), Base64Url.Encode(p.Modulus), Base64Url.Encode(p.Exponent));
    }
}
