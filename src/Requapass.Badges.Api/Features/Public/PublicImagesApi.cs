using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Images;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Public;

/// <summary>Badge class and issuer images, served exactly as stored.</summary>
public static class PublicImagesApi
{
    public static RouteGroupBuilder MapPublicImageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Public Open Badges documents").ProducesProblem(StatusCodes.Status404NotFound).RequireCors(HttpNames.PublicCors);
        group.MapGet("/badges/{badgeClassId}/image", GetBadgeImage).WithName("GetBadgeClassImage")
            .WithSummary("The badge class image. Where it has both, ?format=png|svg chooses (PNG by default).")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml").ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/issuers/{issuerId}/image", GetIssuerImage).WithName("GetIssuerImage").WithSummary("The issuer's image.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml");
        return group;
    }

    public static async Task<Results<StoredImageResult, ProblemHttpResult>> GetBadgeImage(
        string badgeClassId, string? format, BadgesDbContext db, StoredImageCache images, CancellationToken ct)
    {
        if (format is not (null or "png" or "svg")) { return Problems.BadRequest("bad-format", "format must be png or svg."); }
        if (!PublicIds.LooksValid(badgeClassId)) { return Problems.NotFound("badge class"); }
        var preferSvg = format == "svg";
        // The class row picks its image id (the asked format first, then the other); the bytes come
        // from the cache of immutable stored images (StoredImageCache: a new image is a new row).
        var found = await db.BadgeClasses.AsNoTracking().Where(b => b.PublicId == badgeClassId)
            .Select(b => new { ImageId = preferSvg ? b.SvgImageId ?? b.PngImageId : b.PngImageId ?? b.SvgImageId })
            .SingleOrDefaultAsync(ct);
        var image = found?.ImageId is { } id ? await images.GetAsync(id, db, ct) : null;
        return image is null ? Problems.NotFound("badge class") : new StoredImageResult(image);
    }

    public static async Task<Results<StoredImageResult, ProblemHttpResult>> GetIssuerImage(
        string issuerId, BadgesDbContext db, StoredImageCache images, CancellationToken ct)
    {
        var found = !PublicIds.LooksValid(issuerId) ? null : await db.Issuers.AsNoTracking().Where(i => i.PublicId == issuerId)
            .Select(i => new { i.ImageId }).SingleOrDefaultAsync(ct);
        var image = found?.ImageId is { } id ? await images.GetAsync(id, db, ct) : null;
        return image is null ? Problems.NotFound("issuer image") : new StoredImageResult(image);
    }
}

/// <summary>An image response with the headers every image of this service carries; its ETag is its SHA-256.</summary>
public sealed class StoredImageResult(CachedImage image) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var etag = "\"" + image.Sha256[..32] + "\"";
        ImageHeaders.Apply(http.Response, image.ContentType, etag);
        if (ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentLength = image.Content.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(image.Content, http.RequestAborted);
        }
    }
}

public static class ImageHeaders
{
    public static void Apply(HttpResponse response, string contentType, string etag)
    {
        response.ContentType = contentType;
        response.Headers.ETag = etag;
        response.Headers.CacheControl = "public, no-cache";
        response.Headers.XContentTypeOptions = "nosniff";
        if (contentType.StartsWith("image/svg", StringComparison.Ordinal))
        {
            // An SVG opened directly is a document: it must not run script or load anything.
            response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        }
    }
}
