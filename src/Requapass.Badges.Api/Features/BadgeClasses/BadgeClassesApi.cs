using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Images;
using Requapass.Badges.Api.Features.Issuers;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Imaging;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.BadgeClasses;

public static class BadgeClassesApi
{
    public static RouteGroupBuilder MapBadgeClassEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Badge classes")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/issuers/{issuerId}/badge-classes", Create).WithName("CreateBadgeClass").WithBodyLimit(Limits.BadgeClassBody).WithSummary("Create a badge class for an issuer.");
        group.MapGet("/issuers/{issuerId}/badge-classes", List).WithName("ListBadgeClasses").WithSummary("List an issuer's badge classes.");
        group.MapGet("/badge-classes/{badgeClassId}", Get).WithName("GetBadgeClass").WithSummary("Get a badge class.");
        group.MapPut("/badge-classes/{badgeClassId}", Update).WithName("UpdateBadgeClass").WithBodyLimit(Limits.BadgeClassBody).WithSummary("Replace a badge class's fields.");
        group.MapPost("/badge-classes/{badgeClassId}/archive", Archive).WithName("ArchiveBadgeClass")
            .WithSummary("Archive a badge class: no new awards; awarded badges stay valid.");
        group.MapPut("/badge-classes/{badgeClassId}/image", PutImage).WithName("PutBadgeClassImage").WithBodyLimit(Limits.ImageBody)
            .WithSummary("Replace the PNG or SVG image (recognised by its bytes, at most 256 KB).")
            .Accepts<byte[]>("image/png", "image/svg+xml", "application/octet-stream");
        return group;
    }

    public static async Task<Results<Created<BadgeClassResponse>, ProblemHttpResult, ValidationProblem>> Create(
        string issuerId, BadgeClassRequest request, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        BadgeClassValidation.Check(request, errors);
        var now = clock.GetUtcNow().UtcDateTime;
        ImageUploads.Accepted? image = null;
        if (string.IsNullOrWhiteSpace(request.Image))
        {
            errors.Add("image", "image is required: a PNG or SVG as a base64 data: URI.");
        }
        else
        {
            (image, var error) = ImageUploads.FromJson(request.Image, now);
            if (image is null) { errors.Add("image", error!); }
        }
        if (errors.Any) { return errors.ToProblem(); }
        var entity = new BadgeClassEntity
        {
            PublicId = PublicIds.New(),
            IssuerId = issuer.Id,
            Language = request.Language ?? "fr",
            Name = "", Description = "", CriteriaNarrative = "", TagsJson = "[]", AlignmentsJson = "[]", TranslationsJson = "{}",
            CreatedAt = now,
        };
        Apply(entity, request, now, urls);
        SetImage(entity, image!);
        db.BadgeClasses.Add(entity);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/badge-classes/{entity.PublicId}", BadgeClassResponse.From(entity, issuer.PublicId, urls));
    }

    public static async Task<Results<Ok<BadgeClassResponse[]>, ProblemHttpResult>> List(
        string issuerId, bool? includeArchived, HttpContext http, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var query = db.BadgeClasses.AsNoTracking().Where(b => b.IssuerId == issuer.Id);
        if (includeArchived != true) { query = query.Where(b => b.ArchivedAt == null); }
        var classes = await query.OrderBy(b => b.Id).ToListAsync(ct);
        return TypedResults.Ok(classes.Select(b => BadgeClassResponse.From(b, issuer.PublicId, urls)).ToArray());
    }

    public static async Task<Results<Ok<BadgeClassResponse>, ProblemHttpResult>> Get(
        string badgeClassId, HttpContext http, BadgesDbContext db, PublicUrls urls, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        return TypedResults.Ok(BadgeClassResponse.From(found.Entity, found.IssuerPublicId, urls));
    }

    public static async Task<Results<Ok<BadgeClassResponse>, ProblemHttpResult, ValidationProblem>> Update(
        string badgeClassId, BadgeClassRequest request, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        var errors = new ValidationErrors();
        BadgeClassValidation.Check(request, errors, found.Entity.CatalogueCode);
        var now = clock.GetUtcNow().UtcDateTime;
        ImageUploads.Accepted? image = null;
        if (!string.IsNullOrWhiteSpace(request.Image))
        {
            (image, var error) = ImageUploads.FromJson(request.Image, now);
            if (image is null) { errors.Add("image", error!); }
        }
        if (errors.Any) { return errors.ToProblem(); }
        var entity = found.Entity;
        Apply(entity, request, now, urls);
        if (image is not null) { SetImage(entity, image); }
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(BadgeClassResponse.From(entity, found.IssuerPublicId, urls));
    }

    public static async Task<Results<Ok<BadgeClassResponse>, ProblemHttpResult>> Archive(
        string badgeClassId, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        var entity = found.Entity;
        if (entity.ArchivedAt is null)
        {
            entity.ArchivedAt = entity.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }
        return TypedResults.Ok(BadgeClassResponse.From(entity, found.IssuerPublicId, urls));
    }

    public static async Task<Results<Ok<BadgeClassResponse>, ProblemHttpResult, ValidationProblem>> PutImage(
        string badgeClassId, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, Addressed addressed, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        var now = clock.GetUtcNow().UtcDateTime;
        var (image, error) = await ImageUploads.FromBodyAsync(http.Request, now, ct);
        if (image is null) { return Problems.Invalid("image", error!); }
        var entity = found.Entity;
        SetImage(entity, image);
        entity.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(BadgeClassResponse.From(entity, found.IssuerPublicId, urls));
    }

    /// <summary>
    /// Writes a request into the class. What the API answered comes back as it was read: the hosted
    /// criteria page stays hosted (not an external URL that happens to be ours), and our own framework
    /// pages are stored site-relative again (they follow the public base URL, and catalogue updates
    /// still recognise the class's texts as the catalogue's), so a GET sent back with PUT changes nothing.
    /// </summary>
    private static void Apply(BadgeClassEntity e, BadgeClassRequest r, DateTime now, PublicUrls urls)
    {
        e.Name = r.Name!.Trim();
        e.Description = r.Description!.Trim();
        e.Language = r.Language ?? e.Language;
        e.CriteriaNarrative = r.Criteria!.Narrative?.Trim() ?? "";
        e.CriteriaUrl = string.IsNullOrWhiteSpace(r.Criteria.Url) || r.Criteria.Url.Trim() == urls.BadgeCriteria(e.PublicId) ? null : r.Criteria.Url.Trim();
        e.TagsJson = BadgeClassJson.Write((r.Tags ?? []).Select(t => t.Trim()).Distinct().ToList());
        e.AlignmentsJson = BadgeClassJson.Write(BadgeClassValidation.Alignments(r)
            .Select(a => a.TargetUrl.StartsWith(urls.Base + "/public/frameworks/", StringComparison.Ordinal) ? a with { TargetUrl = a.TargetUrl[urls.Base.Length..] } : a).ToList());
        e.TranslationsJson = BadgeClassJson.Write(r.Translations ?? new Dictionary<string, BadgeTranslation>());
        e.LevelRule = Requapass.Badges.Core.Catalogue.LevelRules.Parse(r.LevelRule) ?? e.LevelRule;
        e.UpdatedAt = now;
    }

    /// <summary>An image fills the slot of its kind, so a class may hold one PNG and one SVG.</summary>
    private static void SetImage(BadgeClassEntity e, ImageUploads.Accepted image)
    {
        if (image.Kind == ImageKind.Png) { e.PngImage = image.Entity; }
        else { e.SvgImage = image.Entity; }
    }
}
