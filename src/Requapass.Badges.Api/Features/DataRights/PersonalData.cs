using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Applications;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Telemetry;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Core.Export;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.DataRights;

/// <summary>
/// A volunteer's copy of their data (GDPR articles 15 and 20), found by the lookup key their proven
/// address hashes to (the index on recipient_lookup that progress and levels in order use; the published
/// hash is salted per assertion and cannot be searched): as JSON, and as a ZIP of the same JSON with every
/// badge not revoked baked as GET /public/assertions/{id}/image serves it (OB 2.0 "Baking": the hosted
/// JSON, or the JWS of a signed badge, in the image).
/// </summary>
public sealed class PersonalData(
    BadgesDbContext db, ObDocuments documents, PublicUrls urls, RectecCatalogue catalogue, BadgeMetrics metrics, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
{
    public const string ZipFileName = "requapass-my-data.zip";

    public async Task<PersonalDataResponse> ReadAsync(string lookup, DateTime linkExpiresAt, CancellationToken ct)
    {
        var take = Limits.PersonalDataItems;
        var badges = await (
            from a in db.Assertions.AsNoTracking()
            where a.RecipientLookup == lookup
            orderby a.Id
            select new
            {
                a.PublicId, a.VerificationType, a.Uuid, ClassId = a.BadgeClass!.PublicId, ClassName = a.BadgeClass.Name, IssuerId = a.BadgeClass.Issuer!.PublicId,
                IssuerName = a.BadgeClass.Issuer.Name, a.IssuedOn, a.Expires, a.RevokedAt, a.RevocationReason, a.Narrative, a.EvidenceJson,
            }).Take(take + 1).ToListAsync(ct);
        var maps = await db.SkillsMaps.AsNoTracking().Where(m => m.RecipientLookup == lookup).OrderBy(m => m.Id).ToListAsync(ct);
        var mapViews = new List<SkillsMapResponse>();
        foreach (var map in maps) { mapViews.Add(await SkillsMapEditing.ReadAsync(db, catalogue, map, ct)); }
        var applicationRows = (await ApplicationRows.Query(db, db.Applications.AsNoTracking().Where(a => a.RecipientLookup == lookup).OrderBy(a => a.Id).Take(take + 1))
            .ToListAsync(ct)).OrderBy(r => r.Entity.Id).ToList();
        var histories = await ApplicationRows.HistoriesAsync(db, [.. applicationRows.Select(r => r.Entity.Id)], ct);
        var claims = await (
            from c in db.Claims.AsNoTracking()
            where c.RecipientLookup == lookup
            join k in db.ClaimCampaigns.AsNoTracking() on c.CampaignId equals k.Id
            join b in db.BadgeClasses.AsNoTracking() on k.BadgeClassId equals b.Id
            orderby c.Id
            select new PersonalClaim(c.PublicId, b.PublicId, c.Status, c.Narrative, c.CreatedAt, c.DecidedAt)).Take(take + 1).ToListAsync(ct);
        return new PersonalDataResponse(
            clock.GetUtcNow().UtcDateTime, linkExpiresAt,
            [.. badges.Take(take).Select(b => new PersonalBadge(
                VerificationTypes.OpenBadgesId(b.VerificationType, b.Uuid, urls.Assertion(b.PublicId)), urls.Assertion(b.PublicId), b.ClassId, b.ClassName,
                b.IssuerId, b.IssuerName, b.IssuedOn, b.Expires, b.VerificationType.Name(), b.RevokedAt is not null, b.RevocationReason, b.Narrative,
                b.EvidenceJson is null ? null : JsonDocument.Parse(b.EvidenceJson).RootElement.Clone(),
                b.RevokedAt is null ? urls.AssertionImage(b.PublicId) : null))],
            mapViews,
            [.. applicationRows.Take(take).Select(r => ApplicationRows.VolunteerView(r, histories[r.Entity.Id], urls))],
            [.. claims.Take(take)],
            badges.Count > take || applicationRows.Count > take || claims.Count > take);
    }

    /// <summary>The ZIP: <c>my-data.json</c> (as the JSON route answers) and <c>badges/{id}.png|svg</c>, each badge not revoked, baked.</summary>
    public async Task WriteZipAsync(Stream output, string lookup, DateTime linkExpiresAt, CancellationToken ct)
    {
        var data = await ReadAsync(lookup, linkExpiresAt, ct);
        var generatedAt = clock.GetUtcNow();
        await using var spool = new MemoryStream();
        await using var zip = new StreamingZipWriter(output, spool, generatedAt);
        await zip.AddAsync("my-data.json", JsonSerializer.SerializeToUtf8Bytes(data, json.Value.SerializerOptions), compress: true, ct);
        var live = await db.Assertions.AsNoTracking().Where(a => a.RecipientLookup == lookup && a.RevokedAt == null)
            .OrderBy(a => a.Id).Take(Limits.PersonalDataItems).Select(a => new { a.Id, a.PublicId }).ToListAsync(ct);
        foreach (var badge in live)
        {
            // The bytes of the badge's image route and of its award mail: the class image with the assertion baked in.
            if (await BadgeImage.BakeAsync(db, documents, metrics, badge.Id, badge.PublicId, ct) is not { } image) { continue; }
            await zip.AddAsync($"badges/{badge.PublicId}{Path.GetExtension(image.FileName)}", image.Content, compress: image.ContentType.Contains("svg"), ct);
        }
        await zip.FinishAsync(ct);
    }
}
