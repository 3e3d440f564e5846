using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.BadgeClasses;

/// <summary>
/// The RECTEC+ catalogue as badge classes: seeded under the REQUAPASS issuer, and copied under a
/// partner issuer that adopts it. Both are idempotent: a class is keyed by its RECTEC+ code. Later
/// catalogue versions reach both through <see cref="CatalogueUpdate"/>.
/// </summary>
public static class CatalogueCopy
{
    /// <summary>Site-relative; resolved against the public base URL when a document is built.</summary>
    public static string FrameworkTargetPath(string code) => $"/public/frameworks/rectec-plus/{Uri.EscapeDataString(code)}";

    /// <summary>Adds the catalogue classes the owner lacks. Returns how many were added.</summary>
    public static async Task<int> SeedAsync(
        BadgesDbContext db, RectecCatalogue catalogue, IssuerEntity owner, Func<CatalogueBadge, (byte[] Png, byte[] Svg)> artwork, DateTime now, CancellationToken ct)
    {
        var existing = await ExistingCodes(db, owner.Id, ct);
        var added = 0;
        foreach (var badge in catalogue.Badges.Where(b => !existing.Contains(b.Code)))
        {
            var (png, svg) = artwork(badge);
            var entity = FromCatalogue(catalogue, badge, owner.Id, now);
            entity.PngImage = Stored("image/png", png, now);
            entity.SvgImage = Stored("image/svg+xml", svg, now);
            db.BadgeClasses.Add(entity);
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    /// <summary>
    /// Copies the REQUAPASS issuer's current catalogue classes (with any edits made to them) under
    /// <paramref name="issuer"/>, skipping codes it already has. Images are shared, not copied: stored
    /// images are immutable, and a replaced image gets a new row. The copy keeps its source's texts hash,
    /// so a copy of an untouched class follows later catalogue versions and a copy of an edited one does not.
    /// </summary>
    public static async Task<int> AdoptAsync(BadgesDbContext db, IssuerEntity issuer, DateTime now, CancellationToken ct)
    {
        if (issuer.IsCatalogueOwner) { return 0; }
        var existing = await ExistingCodes(db, issuer.Id, ct);
        var sources = await db.BadgeClasses.AsNoTracking()
            .Where(b => b.Issuer!.IsCatalogueOwner && b.CatalogueCode != null && b.ArchivedAt == null)
            .OrderBy(b => b.Id)
            .ToListAsync(ct);
        var added = 0;
        foreach (var s in sources.Where(s => !existing.Contains(s.CatalogueCode!)))
        {
            db.BadgeClasses.Add(new BadgeClassEntity
            {
                PublicId = Infrastructure.PublicIds.New(),
                IssuerId = issuer.Id,
                Language = s.Language, Name = s.Name, Description = s.Description,
                CriteriaNarrative = s.CriteriaNarrative, CriteriaUrl = s.CriteriaUrl,
                TagsJson = s.TagsJson, AlignmentsJson = s.AlignmentsJson, TranslationsJson = s.TranslationsJson,
                CatalogueCode = s.CatalogueCode, CatalogueTextsHash = s.CatalogueTextsHash, PngImageId = s.PngImageId, SvgImageId = s.SvgImageId,
                CreatedAt = now, UpdatedAt = now,
            });
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }

    private static async Task<HashSet<string>> ExistingCodes(BadgesDbContext db, long issuerId, CancellationToken ct) =>
        [.. await db.BadgeClasses.Where(b => b.IssuerId == issuerId && b.CatalogueCode != null).Select(b => b.CatalogueCode!).ToListAsync(ct)];

    private static StoredImageEntity Stored(string contentType, byte[] bytes, DateTime now) => new()
    {
        ContentType = contentType, Content = bytes, Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), CreatedAt = now,
    };

    private static BadgeClassEntity FromCatalogue(RectecCatalogue catalogue, CatalogueBadge b, long issuerId, DateTime now)
    {
        var texts = CatalogueTexts.From(catalogue, b);
        var entity = new BadgeClassEntity
        {
            PublicId = Infrastructure.PublicIds.New(),
            IssuerId = issuerId,
            Language = texts.Language, Name = texts.Name, Description = texts.Description, CriteriaNarrative = texts.CriteriaNarrative,
            TagsJson = texts.TagsJson, AlignmentsJson = texts.AlignmentsJson, TranslationsJson = texts.TranslationsJson,
            CatalogueCode = b.Code,
            CreatedAt = now,
            UpdatedAt = now,
        };
        texts.WriteTo(entity);
        return entity;
    }
}
