using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Verification;
using Requapass.Badges.Data;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Export;

/// <summary>The export package for DiVA and other Open Badges hosts (issue #6, docs/export-format.md).</summary>
public static class ExportApi
{
    /// <summary>An issuer's whole package (management API).</summary>
    public static IEndpointRouteBuilder MapIssuerExportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/issuers/{issuerId}/export", ExportIssuer).WithName("ExportIssuer").WithTags("Export")
            .WithSummary("Stream the issuer's export package (ZIP, format requapass-badges-export 1.0): issuer, badge classes and "
                + "their images, assertions (JSON-LD, or JWS when signed), baked images, assertions.csv and manifest.json with SHA-256 of every file.")
            .WithDescription("Filters: since (ISO 8601 with a time zone: assertions changed at or after it, revocations included), "
                + "badgeClass (a badge class id of this issuer), includeRevoked (true or false, default false).")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    /// <summary>One badge's package, for its holder (public API).</summary>
    public static IEndpointRouteBuilder MapBadgeExportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/assertions/{assertionId}/export", ExportBadge).WithName("ExportBadge").WithTags("Export")
            .RequireRateLimiting(RateLimits.Exports).AsHeavyWork(HeavyWorkKind.Export)
            .RequireCors(HttpNames.PublicCors)
            .WithSummary("One badge as a ZIP: the baked image, the assertion JSON (and JWS when signed), its badge class, issuer and a manifest. 410 once revoked.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status410Gone);
        return routes;
    }

    public static async Task<Results<ZipDownload, ProblemHttpResult, ValidationProblem>> ExportIssuer(
        string issuerId, string? since, string? badgeClass, string? includeRevoked, HttpContext http, BadgesDbContext db,
        ExportPackage package, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!ObValues.IsDateWithZone(since) || !DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                return Problems.Invalid("since", "since must be an ISO 8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z.");
            }
            from = parsed;
        }
        var withRevoked = includeRevoked?.ToLowerInvariant() switch
        {
            null => false,
            "true" => true,
            "false" => false,
            _ => (bool?)null,
        };
        if (withRevoked is null) { return Problems.Invalid("includeRevoked", "includeRevoked must be true or false."); }
        long? classId = null;
        if (badgeClass is not null)
        {
            classId = !PublicIds.LooksValid(badgeClass) ? null : await db.BadgeClasses.AsNoTracking()
                .Where(b => b.PublicId == badgeClass && b.IssuerId == issuer.Id).Select(b => (long?)b.Id).SingleOrDefaultAsync(ct);
            if (classId is null) { return Problems.NotFound("badge class of this issuer"); }
        }
        var generatedAt = clock.GetUtcNow();
        var filters = new ExportFilters(from, classId, badgeClass, withRevoked.Value);
        return new ZipDownload($"requapass-export-{issuer.PublicId}-{generatedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.zip",
            (body, token) => package.WriteIssuerAsync(body, issuer.Id, issuer.PublicId, filters, generatedAt, token));
    }

    public static async Task<Results<ZipDownload, ProblemHttpResult>> ExportBadge(
        string assertionId, BadgesDbContext db, ExportPackage package, TimeProvider clock, CancellationToken ct)
    {
        var row = await DocumentRows.Assertion(assertionId, db, ct);
        if (row is null) { return Problems.NotFound("assertion"); }
        if (row.RevokedAt is not null) { return Problems.Gone($"This badge was revoked: {row.RevocationReason}"); }
        var generatedAt = clock.GetUtcNow();
        return new ZipDownload($"badge-{row.PublicId}.zip", (body, token) => package.WriteBadgeAsync(body, row, generatedAt, token));
    }
}

/// <summary>A ZIP written straight to the response body as it is made (never buffered whole).</summary>
public sealed class ZipDownload(string fileName, Func<Stream, CancellationToken, Task> write) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName }.ToString();
        http.Response.Headers.CacheControl = "no-store";
        // Nothing is sent until the first entry: any failure before then is still an ordinary 500.
        await write(http.Response.Body, http.RequestAborted);
    }
}
