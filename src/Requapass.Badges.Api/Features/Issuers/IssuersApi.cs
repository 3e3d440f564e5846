using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.BadgeClasses;
using Requapass.Badges.Api.Features.Images;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Api.Features.Lookups;

namespace Requapass.Badges.Api.Features.Issuers;

public static class IssuersApi
{
    public static RouteGroupBuilder MapIssuerEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/issuers").WithTags("Issuers")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).WithName("CreateIssuer").WithBodyLimit(Limits.IssuerBody).WithSummary("Create an issuer profile (platform admin).")
            .RequireAuthorization(AuthSetup.AdminOnly);
        group.MapGet("/", List).WithName("ListIssuers").WithSummary("List the issuers this client may see.");
        group.MapGet("/{issuerId}", Get).WithName("GetIssuer").WithSummary("Get an issuer profile.");
        group.MapPut("/{issuerId}", Update).WithName("UpdateIssuer").WithBodyLimit(Limits.IssuerBody).WithSummary("Replace an issuer profile's fields.");
        group.MapPut("/{issuerId}/image", PutImage).WithName("PutIssuerImage").WithBodyLimit(Limits.ImageBody)
            .WithSummary("Replace the issuer's image with the PNG or SVG in the body (at most 256 KB).")
            .Accepts<byte[]>("image/png", "image/svg+xml", "application/octet-stream");
        group.MapPost("/{issuerId}/catalogue", AdoptCatalogue).WithName("AdoptCatalogue")
            .WithSummary("Copy the REQUAPASS catalogue's badge classes under this issuer (idempotent).");
        return group;
    }

    public static async Task<Results<Created<IssuerResponse>, ValidationProblem>> Create(
        IssuerRequest request, BadgesDbContext db, PublicUrls urls, IssuerKeys keys, TimeProvider clock, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        var telephone = IssuerValidation.Check(request, errors);
        var mail = IssuerValidation.Mail(request, errors);
        var image = ReadImage(request.Image, errors, clock);
        if (errors.Any) { return errors.ToProblem(); }
        var now = clock.GetUtcNow().UtcDateTime;
        var issuer = new IssuerEntity
        {
            PublicId = PublicIds.New(),
            Name = request.Name!.Trim(),
            Url = request.Url!.Trim(),
            Email = request.Email!.Trim(),
            Description = request.Description?.Trim(),
            Telephone = telephone,
            Image = image,
            DefaultVerification = VerificationTypes.Parse(request.DefaultVerification) ?? VerificationType.Hosted,
            NotifyRecipients = request.NotifyRecipients ?? true,
            DefaultLocale = mail.Locale ?? Mail.MailLanguages.Default,
            MailSenderName = mail.SenderName,
            MailReplyTo = mail.ReplyTo,
            MailMessage = mail.Message,
            ExpiryReminderDays = request.ExpiryReminderDays ?? Mail.ExpiryReminders.DefaultDays,
            Territory = Statistics.Territories.Parse(request.Territory),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Issuers.Add(issuer);
        await db.SaveChangesAsync(ct);
        // Its key is published from the start, so its profile names a publicKey before its first signed award.
        await keys.CurrentAsync(issuer.Id, issuer.PublicId, ct);
        return TypedResults.Created($"/api/v1/issuers/{issuer.PublicId}", IssuerResponse.From(issuer, urls));
    }

    public static async Task<Ok<IssuerResponse[]>> List(HttpContext http, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var caller = http.Caller();
        var query = db.Issuers.AsNoTracking();
        if (!caller.IsAdmin) { query = query.Where(i => i.PublicId == caller.IssuerId); }
        var issuers = await query.OrderBy(i => i.Id).ToListAsync(ct);
        return TypedResults.Ok(issuers.Select(i => IssuerResponse.From(i, urls)).ToArray());
    }

    public static async Task<Results<Ok<IssuerResponse>, ProblemHttpResult>> Get(
        string issuerId, HttpContext http, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        return TypedResults.Ok(IssuerResponse.From(issuer, urls));
    }

    public static async Task<Results<Ok<IssuerResponse>, ProblemHttpResult, ValidationProblem>> Update(
        string issuerId, IssuerRequest request, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var errors = new ValidationErrors();
        var telephone = IssuerValidation.Check(request, errors);
        var mail = IssuerValidation.Mail(request, errors);
        var image = ReadImage(request.Image, errors, clock);
        if (errors.Any) { return errors.ToProblem(); }
        issuer.Name = request.Name!.Trim();
        issuer.Url = request.Url!.Trim();
        issuer.Email = request.Email!.Trim();
        issuer.Description = request.Description?.Trim();
        issuer.Telephone = telephone;
        issuer.DefaultVerification = VerificationTypes.Parse(request.DefaultVerification) ?? issuer.DefaultVerification;
        issuer.NotifyRecipients = request.NotifyRecipients ?? issuer.NotifyRecipients;
        issuer.DefaultLocale = mail.Locale ?? issuer.DefaultLocale;
        (issuer.MailSenderName, issuer.MailReplyTo, issuer.MailMessage) = (mail.SenderName, mail.ReplyTo, mail.Message);
        issuer.ExpiryReminderDays = request.ExpiryReminderDays ?? issuer.ExpiryReminderDays;
        if (request.Territory is not null) { issuer.Territory = Statistics.Territories.Parse(request.Territory); }
        if (image is not null) { issuer.Image = image; }
        issuer.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            // Off means off: the addresses held for this issuer's pending reminders have no purpose left (README, Privacy).
            if (issuer.ExpiryReminderDays == 0) { await db.ExpiryReminders.Where(r => r.Assertion!.IssuerId == issuer.Id).ExecuteDeleteAsync(ct); }
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok(IssuerResponse.From(issuer, urls));
    }

    public static async Task<Results<Ok<IssuerResponse>, ProblemHttpResult, ValidationProblem>> PutImage(
        string issuerId, HttpContext http, BadgesDbContext db, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var now = clock.GetUtcNow().UtcDateTime;
        var (image, error) = await ImageUploads.FromBodyAsync(http.Request, now, ct);
        if (image is null) { return Problems.Invalid("image", error!); }
        issuer.Image = image.Entity;
        issuer.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(IssuerResponse.From(issuer, urls));
    }

    public static async Task<Results<Ok<CatalogueAdoption>, ProblemHttpResult>> AdoptCatalogue(
        string issuerId, HttpContext http, BadgesDbContext db, TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        // Staged for the adoption's own SaveChanges (the copies and the entry, or neither).
        audit.Record(Audit.AuditAction.CatalogueAdopted, new(Audit.AuditTargets.Issuer, issuer.PublicId, issuer.Id));
        var added = await CatalogueCopy.AdoptAsync(db, issuer, clock.GetUtcNow().UtcDateTime, ct);
        var total = await db.BadgeClasses.CountAsync(b => b.IssuerId == issuer.Id && b.CatalogueCode != null, ct);
        return TypedResults.Ok(new CatalogueAdoption(added, total));
    }

    private static StoredImageEntity? ReadImage(string? dataUri, ValidationErrors errors, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(dataUri)) { return null; }
        var (image, error) = ImageUploads.FromJson(dataUri, clock.GetUtcNow().UtcDateTime);
        if (image is null) { errors.Add("image", error!); return null; }
        return image.Entity;
    }
}

/// <summary>How many catalogue classes an adoption added, and how many the issuer now has.</summary>
public sealed record CatalogueAdoption(int Added, int Total);
