using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.BadgeClasses;

/// <summary>
/// Brings the catalogue classes and the adopted copies to the catalogue file's texts when the file
/// differs from the version recorded in the database. A class whose texts no longer hash to what the
/// catalogue last wrote was edited by its issuer: it is left alone, and logged. Images are never touched.
/// Runs at start-up under the migration lock, after the seed; all of it is one transaction.
/// </summary>
public static class CatalogueUpdate
{
    public sealed record Outcome(bool Applied, int Updated, int Kept);

    public static async Task<Outcome> RunAsync(BadgesDbContext db, RectecCatalogue catalogue, DateTime now, ILogger logger, CancellationToken ct)
    {
        var contentHash = CatalogueTexts.ContentHash(catalogue);
        var recorded = await db.CatalogueVersions.AsNoTracking().OrderByDescending(v => v.Id).FirstOrDefaultAsync(ct);
        if (recorded is not null && recorded.ContentHash == contentHash && recorded.Version == catalogue.Version)
        {
            return new Outcome(false, 0, 0);
        }
        if (recorded is not null && recorded.ContentHash != contentHash && recorded.Version == catalogue.Version)
        {
            // The hash, not the label, decides: the texts still go out, but the file should say so.
            logger.LogWarning("The catalogue texts changed but its version is still {Version}; give the file a new version", catalogue.Version);
        }
        var expected = catalogue.Badges.ToDictionary(b => b.Code, b => CatalogueTexts.From(catalogue, b));
        var classes = await db.BadgeClasses.Where(b => b.CatalogueCode != null).OrderBy(b => b.Id).ToListAsync(ct);
        var issuers = await db.Issuers.AsNoTracking().ToDictionaryAsync(i => i.Id, i => i.PublicId, ct);
        int updated = 0, kept = 0;
        foreach (var c in classes)
        {
            // A code the file no longer has: the class stays as it is.
            if (!expected.TryGetValue(c.CatalogueCode!, out var texts)) { continue; }
            var current = CatalogueTexts.Of(c).Hash();
            var target = texts.Hash();
            if (current == target)
            {
                // Already the file's texts (a class seeded before versioning, or an edit that matches).
                c.CatalogueTextsHash = target;
                continue;
            }
            if (c.CatalogueTextsHash != current)
            {
                logger.LogInformation(
                    "Catalogue class {Code} of issuer {Issuer} ({BadgeClass}) was edited (or predates catalogue versions); its texts are kept",
                    c.CatalogueCode, issuers.GetValueOrDefault(c.IssuerId), c.PublicId);
                kept++;
                continue;
            }
            texts.WriteTo(c);
            c.UpdatedAt = now;
            updated++;
        }
        db.CatalogueVersions.Add(new CatalogueVersionEntity
        {
            Version = catalogue.Version, ContentHash = contentHash, UpdatedClasses = updated, KeptClasses = kept, AppliedAt = now,
        });
        // Rewritten classes change what partners publish: audited, by the service itself, with the version.
        db.AuditEntries.Add(Audit.AuditTrail.New(Audit.AuditAction.CatalogueUpdated, new(Audit.AuditTargets.Catalogue, catalogue.Version, null),
            Audit.AuditTrail.System, Audit.AuditTrail.System, now));
        await db.SaveChangesAsync(ct);
        logger.LogInformation(
            "Catalogue version {Version} applied (was {Previous}): {Updated} class(es) updated, {Kept} edited one(s) kept",
            catalogue.Version, recorded?.Version ?? "none", updated, kept);
        return new Outcome(true, updated, kept);
    }
}
