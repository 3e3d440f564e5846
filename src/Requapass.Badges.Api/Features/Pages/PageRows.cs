using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Pages;

/// <summary>A badge class with what its page shows beyond the document: its issuer's name and which image formats it has.</summary>
public sealed record BadgeClassPageRow(
    string PublicId, string IssuerPublicId, string IssuerName, string Language, string Name, string Description, string CriteriaNarrative,
    string? CriteriaUrl, string TagsJson, string AlignmentsJson, string TranslationsJson, bool HasPng, bool HasSvg);

/// <summary>One of an issuer's classes, as a card on its page.</summary>
public sealed record BadgeCardRow(string PublicId, string Language, string Name, string TranslationsJson, string AlignmentsJson);

/// <summary>The untracked queries of the pages, one per page part, each selecting only its columns.</summary>
public static class PageRows
{
    public static async Task<BadgeClassPageRow?> BadgeClass(string id, BadgesDbContext db, CancellationToken ct) =>
        !PublicIds.LooksValid(id) ? null : await db.BadgeClasses.AsNoTracking().Where(b => b.PublicId == id)
            .Select(b => new BadgeClassPageRow(b.PublicId, b.Issuer!.PublicId, b.Issuer.Name, b.Language, b.Name, b.Description, b.CriteriaNarrative,
                b.CriteriaUrl, b.TagsJson, b.AlignmentsJson, b.TranslationsJson, b.PngImageId != null, b.SvgImageId != null))
            .SingleOrDefaultAsync(ct);

    /// <summary>The issuer's classes still on offer (not archived), catalogue order then name, at most <paramref name="limit"/>, and how many there are.</summary>
    public static async Task<(IReadOnlyList<BadgeCardRow> Rows, int Total)> IssuerBadges(string issuerId, int limit, BadgesDbContext db, CancellationToken ct)
    {
        var query = db.BadgeClasses.AsNoTracking().Where(b => b.Issuer!.PublicId == issuerId && b.ArchivedAt == null);
        var rows = await query.OrderBy(b => b.CatalogueCode == null).ThenBy(b => b.CatalogueCode).ThenBy(b => b.Name).ThenBy(b => b.Id).Take(limit)
            .Select(b => new BadgeCardRow(b.PublicId, b.Language, b.Name, b.TranslationsJson, b.AlignmentsJson)).ToListAsync(ct);
        var total = rows.Count < limit ? rows.Count : await query.CountAsync(ct);
        return (rows, total);
    }
}
