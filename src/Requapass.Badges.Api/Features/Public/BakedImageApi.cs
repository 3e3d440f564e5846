using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Requapass.Badges.Api.Features.Images;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>
/// A volunteer's badge as a baked image, made at request time from the class image stored once
/// (ARCHITECTURE.md, "Bake on the fly"): a byte copy plus one chunk or element, never a re-encode.
/// </summary>
public static class BakedImageApi
{
    public static RouteGroupBuilder MapBakedImageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Public Open Badges documents")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/assertions/{assertionId}/image", GetBakedImage).WithName("GetBakedAssertionImage")
            .RequireRateLimiting(RateLimits.Images).AsHeavyWork(HeavyWorkKind.Image)
            .WithSummary("The badge image with the assertion baked in (Open Badges 2.0 Baking). PNG or SVG follows the class image; ?format=png|svg chooses where both exist.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status410Gone);
        return group;
    }

    private sealed record Row(AssertionRow Assertion, string BadgeName, long? ImageId);

    public static async Task<Results<BakedImageResult, ProblemHttpResult>> GetBakedImage(
        string assertionId, string? format, BadgesDbContext db, ObDocuments documents, StoredImageCache images, BadgeMetrics metrics, CancellationToken ct)
    {
        if (format is not (null or "png" or "svg")) { return Problems.BadRequest("bad-format", "format must be png or svg."); }
        if (!PublicIds.LooksValid(assertionId)) { return Problems.NotFound("assertion"); }
        var preferSvg = format == "svg";
        // One small query: the assertion (read every time, so a revocation shows at once), its class's
        // name and the id of the class image of the chosen format. The image itself comes from the
        // cache of immutable stored images (one more command the first time this node needs it).
        var row = await (
            from a in db.Assertions.AsNoTracking()
            where a.PublicId == assertionId
            select new Row(
                AssertionRow.From(a, a.BadgeClass!.PublicId, a.SigningKey != null ? a.SigningKey.PublicId : null),
                a.BadgeClass.Name, preferSvg ? a.BadgeClass.SvgImageId ?? a.BadgeClass.PngImageId : a.BadgeClass.PngImageId ?? a.BadgeClass.SvgImageId))
            .SingleOrDefaultAsync(ct);
        if (row is null) { return Problems.NotFound("assertion"); }
        if (row.Assertion.RevokedAt is not null)
        {
            return Problems.Gone($"This badge was revoked: {row.Assertion.RevocationReason}");
        }
        var image = row.ImageId is { } id ? await images.GetAsync(id, db, ct) : null;
        if (image is null) { return Problems.NotFound("assertion"); }
        var payload = documents.BakedPayload(row.Assertion);
        return new BakedImageResult(image, payload, row.Assertion.IsSigned, documents.AssertionUrl(row.Assertion), row.BadgeName, metrics);
    }
}

/// <summary>
/// Bakes only when the client does not already hold this exact image: the ETag is made of the class
/// image's SHA-256 and the payload, both known before any byte is copied, so a 304 costs the row query only.
/// </summary>
public sealed class BakedImageResult(
    CachedImage image, string payload, bool signed, string assertionUrl, string badgeName, BadgeMetrics metrics) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var etag = ETags.For(Encoding.UTF8.GetBytes(image.Sha256 + "\n" + payload));
        ImageHeaders.Apply(http.Response, image.ContentType, etag);
        var svg = BadgeBaker.IsSvg(image.ContentType);
        http.Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("inline")
        {
            FileName = FileNames.Ascii(badgeName) + (svg ? ".svg" : ".png"),
            FileNameStar = badgeName + (svg ? ".svg" : ".png"),
        }.ToString();
        if (ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        var baked = BadgeBaker.Bake(image.Content, svg, payload, signed, assertionUrl);
        // Counted when made, not when a 304 spares the work.
        metrics.Baked(svg ? BakeFormat.Svg : BakeFormat.Png);
        http.Response.ContentLength = baked.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(baked, http.RequestAborted);
        }
    }
}

public static class FileNames
{
    /// <summary>An ASCII slug for the plain filename parameter (RFC 6266); filename* keeps the real name.</summary>
    public static string Ascii(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) { continue; }
            sb.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-');
        }
        var slug = string.Join('-', sb.ToString().Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "badge" : slug[..Math.Min(slug.Length, 80)];
    }
}
