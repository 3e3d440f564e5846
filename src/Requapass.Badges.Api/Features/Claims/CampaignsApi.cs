using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>Claim campaigns, for staff: create one on a badge class, list, read, close, print its codes and its QR code.</summary>
public static class CampaignsApi
{
    public static RouteGroupBuilder MapClaimCampaignEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Claim codes")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/badge-classes/{badgeClassId}/claim-campaigns", Create).WithName("CreateClaimCampaign")
            .WithSummary("Create a claim campaign on a badge class: one multi-use code, or up to 10,000 single-use codes (shown in the answer).")
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapGet("/issuers/{issuerId}/claim-campaigns", List).WithName("ListClaimCampaigns")
            .WithSummary("List an issuer's claim campaigns, newest first, with cursor pagination.");
        group.MapGet("/claim-campaigns/{campaignId}", Get).WithName("GetClaimCampaign").WithSummary("Get a claim campaign (with its multi-use code).");
        group.MapPost("/claim-campaigns/{campaignId}/close", Close).WithName("CloseClaimCampaign")
            .WithSummary("Close a campaign: its codes are refused from now on. Closing again changes nothing.");
        group.MapGet("/claim-campaigns/{campaignId}/codes", Codes).WithName("ListClaimCodes")
            .WithSummary("A campaign's codes, in clear, with whether each was used; format=csv for a printable list.")
            .Produces(StatusCodes.Status200OK, typeof(string), "text/csv");
        group.MapGet("/claim-campaigns/{campaignId}/qr", ClaimQr.Get).WithName("GetClaimCampaignQrCode")
            .WithSummary("A QR code of the campaign's claim page (with its code when multi-use), for posters: format=png (default) or svg.")
            .Produces(StatusCodes.Status200OK, typeof(byte[]), "image/png", "image/svg+xml");
        return group;
    }

    public static async Task<Results<Created<CampaignResponse>, ProblemHttpResult, ValidationProblem>> Create(
        string badgeClassId, CreateCampaignRequest request, Addressed addressed, BadgesDbContext db, ClaimCodes codes, PublicUrls urls,
        TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var found = await addressed.BadgeClass(badgeClassId, ct);
        if (found is null) { return Problems.NotFound("badge class"); }
        var now = clock.GetUtcNow();
        var errors = new ValidationErrors();
        var campaign = CampaignRules.Check(request, now, errors);
        if (campaign is null) { return errors.ToProblem(); }
        if (found.Entity.ArchivedAt is not null)
        {
            return Problems.Conflict("badge-class-archived", "The badge class is archived and can no longer be awarded.");
        }
        var entity = new ClaimCampaignEntity
        {
            PublicId = PublicIds.New(), IssuerId = found.Entity.IssuerId, BadgeClassId = found.Entity.Id, Kind = campaign.Kind, Name = campaign.Name,
            StartsAt = campaign.StartsAt.UtcDateTime, EndsAt = campaign.EndsAt.UtcDateTime, MaxClaims = campaign.MaxClaims, ClaimCount = 0,
            AllowedDomainsJson = JsonSerializer.Serialize(campaign.AllowedDomains), Review = campaign.Review, DefaultLocale = campaign.Locale,
            CreatedAt = now.UtcDateTime, UpdatedAt = now.UtcDateTime,
        };
        var clear = Enumerable.Range(1, campaign.CodeCount).Select(n => (Number: n, Code: ClaimCodes.New())).ToList();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.ClaimCampaigns.Add(entity);
        audit.Record(Audit.AuditAction.CampaignCreated, new(Audit.AuditTargets.Campaign, entity.PublicId, entity.IssuerId));
        await db.SaveChangesAsync(ct);
        // Up to 10,000 rows: added without change tracking's per-entity cost, saved in one go.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.ClaimCodes.AddRange(clear.Select(c => new ClaimCodeEntity
        {
            CampaignId = entity.Id, Number = c.Number, CodeHash = codes.Hash(ClaimCodes.Normalize(c.Code)!), SealedCode = codes.Seal(c.Code, entity.PublicId, c.Number),
        }));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var response = CampaignResponses.From(entity, found.IssuerPublicId, found.Entity.PublicId, now.UtcDateTime, urls,
            entity.Kind == CampaignKinds.MultiUse ? clear[0].Code : null,
            entity.Kind == CampaignKinds.SingleUse ? [.. clear.Select(c => new CampaignCode(c.Number, c.Code, false, null))] : null);
        return TypedResults.Created($"/api/v1/claim-campaigns/{entity.PublicId}", response);
    }

    public static async Task<Results<Ok<CampaignPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? cursor, int? limit, BadgesDbContext db, ClaimCodes codes, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var size = limit ?? 50;
        long? after = cursor is null ? null : Cursors.Decode(cursor);
        var errors = new ValidationErrors();
        if (size is < 1 or > 200) { errors.Add("limit", "limit must be between 1 and 200."); }
        if (cursor is not null && after is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        if (errors.Any) { return errors.ToProblem(); }
        var query = db.ClaimCampaigns.AsNoTracking().Where(c => c.IssuerId == issuer.Id);
        if (after is not null) { query = query.Where(c => c.Id < after); }
        var rows = await query.OrderByDescending(c => c.Id).Take(size + 1)
            .Select(c => new { Entity = c, BadgeClassId = db.BadgeClasses.Where(b => b.Id == c.BadgeClassId).Select(b => b.PublicId).First() })
            .ToListAsync(ct);
        var multi = await MultiUseCodes(db, codes, rows.Take(size).Select(r => r.Entity).ToList(), ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var items = rows.Take(size).Select(r => CampaignResponses.From(r.Entity, issuer.PublicId, r.BadgeClassId, now, urls, multi.GetValueOrDefault(r.Entity.Id), null)).ToList();
        return TypedResults.Ok(new CampaignPage(items, rows.Count > size ? Cursors.Encode(rows[size - 1].Entity.Id) : null));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> Get(
        string campaignId, Addressed addressed, BadgesDbContext db, ClaimCodes codes, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var found = await addressed.Campaign(campaignId, ct);
        if (found is null) { return Problems.NotFound("claim campaign"); }
        var multi = await MultiUseCodes(db, codes, [found.Entity], ct);
        return TypedResults.Ok(CampaignResponses.From(found.Entity, found.IssuerPublicId, found.BadgeClassPublicId, clock.GetUtcNow().UtcDateTime, urls,
            multi.GetValueOrDefault(found.Entity.Id), null));
    }

    public static async Task<Results<Ok<CampaignResponse>, ProblemHttpResult>> Close(
        string campaignId, Addressed addressed, BadgesDbContext db, ClaimCodes codes, PublicUrls urls, TimeProvider clock, Audit.AuditTrail audit, CancellationToken ct)
    {
        var found = await addressed.Campaign(campaignId, ct);
        if (found is null) { return Problems.NotFound("claim campaign"); }
        var now = clock.GetUtcNow().UtcDateTime;
        // Conditional: a claim in flight either counted before the close, or finds it closed.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var closed = await db.ClaimCampaigns.Where(c => c.Id == found.Entity.Id && c.ClosedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClosedAt, now).SetProperty(c => c.UpdatedAt, now), ct);
            // Closing a closed campaign changes nothing, and is not audited again.
            if (closed == 1) { await audit.InsertAsync(Audit.AuditAction.CampaignClosed, [new(Audit.AuditTargets.Campaign, found.Entity.PublicId, found.Entity.IssuerId)], ct); }
            await tx.CommitAsync(ct);
        }
        // The tracked row is the one before the update: read the campaign as the database now has it.
        db.ChangeTracker.Clear();
        addressed.Forget();
        return await Get(campaignId, addressed, db, codes, urls, clock, ct);
    }

    public static async Task<Results<Ok<CampaignCodes>, FileContentHttpResult, ProblemHttpResult, ValidationProblem>> Codes(
        string campaignId, string? format, Addressed addressed, BadgesDbContext db, ClaimCodes codes, CancellationToken ct)
    {
        var found = await addressed.Campaign(campaignId, ct);
        if (found is null) { return Problems.NotFound("claim campaign"); }
        if (format is not (null or "json" or "csv")) { return Problems.Invalid("format", "format must be json or csv."); }
        var rows = await db.ClaimCodes.AsNoTracking().Where(c => c.CampaignId == found.Entity.Id).OrderBy(c => c.Number).ToListAsync(ct);
        var items = rows.Select(r => new CampaignCode(r.Number, codes.Open(r.SealedCode, found.Entity.PublicId, r.Number) ?? "(unreadable: Auth:SigningKey changed)",
            r.UsedAt is not null, r.UsedAt)).ToList();
        if (format != "csv")
        {
            return TypedResults.Ok(new CampaignCodes(found.Entity.PublicId, items.Count, items.Count(i => i.Used), items));
        }
        // RFC 4180: CRLF line ends; the values are digits, codes and ISO dates, so nothing needs quoting.
        var csv = new StringBuilder("number,code,used,used_at\r\n");
        foreach (var i in items)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i.Number},{i.Code},{(i.Used ? "yes" : "no")},{i.UsedAt:yyyy-MM-ddTHH:mm:ssZ}\r\n");
        }
        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"claim-codes-{found.Entity.PublicId}.csv");
    }

    /// <summary>The clear code of each multi-use campaign among <paramref name="campaigns"/>.</summary>
    internal static async Task<Dictionary<long, string?>> MultiUseCodes(BadgesDbContext db, ClaimCodes codes, IReadOnlyList<ClaimCampaignEntity> campaigns, CancellationToken ct)
    {
        var multi = campaigns.Where(c => c.Kind == CampaignKinds.MultiUse).ToDictionary(c => c.Id, c => c.PublicId);
        if (multi.Count == 0) { return []; }
        var ids = multi.Keys.ToList();
        var rows = await db.ClaimCodes.AsNoTracking().Where(c => ids.Contains(c.CampaignId)).ToListAsync(ct);
        return rows.ToDictionary(r => r.CampaignId, r => codes.Open(r.SealedCode, multi[r.CampaignId], r.Number));
    }
}

public static class CampaignResponses
{
    public static string Status(ClaimCampaignEntity c, DateTime now) =>
        c.ClosedAt is not null ? "closed" : now < c.StartsAt ? "scheduled" : now >= c.EndsAt ? "ended" : c.ClaimCount >= c.MaxClaims ? "exhausted" : "open";

    public static IReadOnlyList<string> Domains(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    public static CampaignResponse From(
        ClaimCampaignEntity c, string issuerId, string badgeClassId, DateTime now, PublicUrls urls, string? code, IReadOnlyList<CampaignCode>? codes) => new(
        c.PublicId, badgeClassId, issuerId, c.Kind, c.Name, c.StartsAt, c.EndsAt, c.MaxClaims, c.ClaimCount, Domains(c.AllowedDomainsJson),
        c.Review, c.DefaultLocale, Status(c, now), c.ClosedAt, c.CreatedAt, urls.Claim(c.PublicId, code), code, codes);
}
