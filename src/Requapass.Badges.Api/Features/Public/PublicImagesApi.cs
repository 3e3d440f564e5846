using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
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
        string badgeClassId, string? format, BadgesDbContext db, CancellationToken ct)
    {
        if (format is not (null or "png" or "svg")) { return Problems.BadRequest("bad-format", "format must be png or svg."); }
        if (!PublicIds.LooksValid(badgeClassId)) { return Problems.NotFound("badge class"); }
        var preferSvg = format == "svg";
        // One query: the class row picks its image (the asked format first, then the other) and joins it.
        var image = await (
            from b in db.BadgeClasses.AsNoTracking()
            where b.PublicId == badgeClassId
            join i in db.Images.AsNoTracking()
                on (preferSvg ? b.SvgImageId ?? b.PngImageId : b.PngImageId ?? b.SvgImageId) equals (long?)i.Id
            select new StoredImageResult(i.ContentType, i.Content, i.Sha256)).SingleOrDefaultAsync(ct);
        return image is null ? Problems.NotFound("badge class") : image;
    }

    public static async Task<Results<StoredImageResult, ProblemHttpResult>> GetIssuerImage(string issuerId, BadgesDbContext db, CancellationToken ct)
    {
        var image = !PublicIds.LooksValid(issuerId) ? null : await db.Issuers.AsNoTracking().Where(i => i.PublicId == issuerId && i.Image != null)
            .Select(i => new StoredImageResult(i.Image!.ContentType, i.Image.Content, i.Image.Sha256))
            .SingleOrDefaultAsync(ct);
        return image is null ? Problems.NotFound("issuer image") : image;
    }
}

/// <summary>An image response with the headers every image of this service carries.</summary>
public sealed class StoredImageResult(string contentType, byte[] content, string sha256) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var etag = "\"" + sha256[..32] + "\"";
        ImageHeaders.Apply(http.Response, contentType, etag);
        if (ETags.Matches(http.Request, etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        http.Response.ContentLength = content.Length;
        if (!HttpMethods.IsHead(http.Request.Method))
        {
            await http.Response.Body.WriteAsync(content, http.RequestAborted);
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
