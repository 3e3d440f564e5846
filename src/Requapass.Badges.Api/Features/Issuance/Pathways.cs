using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Catalogue;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// The level a strict class requires and its recipient does not hold: the competence, the level, its
/// RECTEC+ code, and the class that would satisfy it (the awarding issuer's own class at that level,
/// else the catalogue owner's), when there is one.
/// </summary>
public sealed record MissingLevel(string Competency, string CompetencyName, int Level, string Code, string? BadgeClassId, string? BadgeClassUrl)
{
    public const string ProblemSlug = "level-required";

    public string Detail =>
        $"This badge class requires level {Level} of the competence \"{CompetencyName}\" ({Code}) first: the recipient holds no valid "
        + $"(unrevoked, unexpired) badge at that level on this service."
        + (BadgeClassUrl is null ? "" : $" The badge class at that level: {BadgeClassUrl}.");

    /// <summary>The 409 RFC 9457 problem every award path answers with.</summary>
    public ProblemHttpResult Problem() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, type: Problems.Type(ProblemSlug),
        title: "A lower level is required.", detail: Detail, extensions: Extensions());

    public Dictionary<string, object?> Extensions() => new()
    {
        ["competence"] = Competency, ["competenceName"] = CompetencyName, ["level"] = Level, ["code"] = Code,
        ["badgeClass"] = BadgeClassId, ["badgeClassUrl"] = BadgeClassUrl,
    };
}

/// <summary>A badge held at a RECTEC+ level: valid now, whichever issuer awarded it.</summary>
public sealed record HeldLevel(string Competency, int Level, string AssertionPublicId, long IssuerId, DateTime IssuedOn);

/// <summary>
/// Levels in order (issue #13, part 3), the one place the rule is decided for every award path (a
/// single award, bulk rows, a claim and its approval, the game, and applications when they come):
/// a class whose catalogue code names level N+1 of a competence, with <see cref="LevelRule.Strict"/>,
/// is awarded only to a recipient who holds level N of that competence. A class without a catalogue
/// code has no level, hence no rule.
/// "Held" means a non-revoked, non-expired assertion for the same recipient (assertions.recipient_lookup,
/// the unsalted lookup key of the normalised identity) of a class at level N of the same competence,
/// FROM ANY ISSUER ON THIS SERVICE: a volunteer may get level 1 at Tourcoing and level 2 at Roubaix.
/// The levels are read from the catalogue the service runs with (every issuer's catalogue classes carry
/// the same codes).
/// </summary>
public sealed class Pathways(BadgesDbContext db, RectecCatalogue catalogue, PublicUrls urls, TimeProvider clock)
{
    /// <summary>The competence and level of a class's catalogue code; null when it has none (or one the catalogue does not know).</summary>
    public CompetenceLevel? LevelOf(string? catalogueCode) =>
        catalogueCode is null || catalogue.Find(catalogueCode) is not { } b ? null : new CompetenceLevel(b.Competency, b.Level);

    /// <summary>The catalogue code of a competence at a level; null when the catalogue has none.</summary>
    public string? CodeOf(string competency, int level) =>
        catalogue.Badges.FirstOrDefault(b => b.Competency == competency && b.Level == level)?.Code;

    /// <summary>The level a class requires before it is awarded: level N for a strict class at N+1; null otherwise.</summary>
    public CompetenceLevel? Requires(BadgeClassEntity badgeClass) =>
        badgeClass.LevelRule == LevelRule.Strict && LevelOf(badgeClass.CatalogueCode) is { Level: > 1 } level
            ? level with { Level = level.Level - 1 }
            : null;

    /// <summary>Whether awarding <paramref name="badgeClass"/> to this recipient breaks the rule; null when it may be awarded.</summary>
    public async Task<MissingLevel?> MissingAsync(BadgeClassEntity badgeClass, string recipientLookup, CancellationToken ct)
    {
        if (Requires(badgeClass) is not { } required) { return null; }
        var holders = await HoldersAsync(required, [recipientLookup], ct);
        return holders.Count > 0 ? null : await DescribeAsync(required, badgeClass.IssuerId, ct);
    }

    /// <summary>As <see cref="MissingAsync(BadgeClassEntity, string, CancellationToken)"/>, for a class known by its row id.</summary>
    public async Task<MissingLevel?> MissingAsync(long badgeClassId, string recipientLookup, CancellationToken ct)
    {
        var badgeClass = await db.BadgeClasses.AsNoTracking().SingleAsync(b => b.Id == badgeClassId, ct);
        return await MissingAsync(badgeClass, recipientLookup, ct);
    }

    /// <summary>
    /// The check an application makes when a volunteer applies (issue #13, part 2): the same rule, for a
    /// class named by its public id. Null when the class may be applied for (or does not exist: the
    /// caller answers that).
    /// </summary>
    public async Task<MissingLevel?> MissingForApplicationAsync(string badgeClassPublicId, string recipientLookup, CancellationToken ct)
    {
        var badgeClass = await db.BadgeClasses.AsNoTracking().SingleOrDefaultAsync(b => b.PublicId == badgeClassPublicId, ct);
        return badgeClass is null ? null : await MissingAsync(badgeClass, recipientLookup, ct);
    }

    /// <summary>
    /// For many recipients at once (bulk rows): the missing level, and the lookups among
    /// <paramref name="recipientLookups"/> that do NOT hold it; null when the class requires nothing.
    /// </summary>
    public async Task<(MissingLevel Missing, IReadOnlySet<string> Lacking)?> LackingAsync(
        BadgeClassEntity badgeClass, IReadOnlyCollection<string> recipientLookups, CancellationToken ct)
    {
        if (Requires(badgeClass) is not { } required) { return null; }
        var holders = await HoldersAsync(required, recipientLookups, ct);
        var lacking = recipientLookups.Where(l => !holders.Contains(l)).ToHashSet(StringComparer.Ordinal);
        return lacking.Count == 0 ? null : (await DescribeAsync(required, badgeClass.IssuerId, ct), lacking);
    }

    /// <summary>Every level this recipient holds now, on the whole service (the progress grid filters by audience).</summary>
    public async Task<IReadOnlyList<HeldLevel>> HeldAsync(string recipientLookup, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await db.Assertions.AsNoTracking()
            .Where(a => a.RecipientLookup == recipientLookup && a.RevokedAt == null && (a.Expires == null || a.Expires > now)
                && a.BadgeClass!.CatalogueCode != null)
            .OrderBy(a => a.Id)
            .Select(a => new { a.PublicId, a.IssuerId, a.IssuedOn, a.BadgeClass!.CatalogueCode })
            .ToListAsync(ct);
        return [.. rows.Select(r => (Row: r, Level: LevelOf(r.CatalogueCode)))
            .Where(r => r.Level is not null)
            .Select(r => new HeldLevel(r.Level!.Competency, r.Level.Level, r.Row.PublicId, r.Row.IssuerId, r.Row.IssuedOn))];
    }

    private async Task<HashSet<string>> HoldersAsync(CompetenceLevel required, IReadOnlyCollection<string> lookups, CancellationToken ct)
    {
        var codes = catalogue.Badges.Where(b => b.Competency == required.Competency && b.Level == required.Level).Select(b => b.Code).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var holders = new HashSet<string>(StringComparer.Ordinal);
        // In slices: a batch may name 10,000 recipients, more than one statement's parameters should carry.
        foreach (var slice in lookups.Distinct().Chunk(500))
        {
            var found = await db.Assertions.AsNoTracking()
                .Where(a => slice.Contains(a.RecipientLookup) && a.RevokedAt == null && (a.Expires == null || a.Expires > now)
                    && codes.Contains(a.BadgeClass!.CatalogueCode!))
                .Select(a => a.RecipientLookup).Distinct().ToListAsync(ct);
            holders.UnionWith(found);
        }
        return holders;
    }

    private async Task<MissingLevel> DescribeAsync(CompetenceLevel required, long issuerId, CancellationToken ct)
    {
        var entry = catalogue.Badges.First(b => b.Competency == required.Competency && b.Level == required.Level);
        // The class that would satisfy it: the awarding issuer's own at that level, else the catalogue owner's.
        var satisfying = await db.BadgeClasses.AsNoTracking()
            .Where(b => b.CatalogueCode == entry.Code && b.ArchivedAt == null && (b.IssuerId == issuerId || b.Issuer!.IsCatalogueOwner))
            .OrderBy(b => b.IssuerId == issuerId ? 0 : 1).ThenBy(b => b.Id)
            .Select(b => b.PublicId).FirstOrDefaultAsync(ct);
        return new MissingLevel(entry.Competency, entry.CompetencyName[catalogue.DefaultLanguage], entry.Level, entry.Code,
            satisfying, satisfying is null ? null : urls.Badge(satisfying));
    }
}
