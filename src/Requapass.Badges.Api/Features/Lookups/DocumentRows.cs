using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Public;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Lookups;

/// <summary>
/// The rows the public Open Badges documents are built from (<see cref="ObDocuments"/>), and the key
/// and revocation list documents, each from untracked queries, shared by the public routes, the
/// verifier (our own badges) and the export.
/// </summary>
public static class DocumentRows
{
    // Each document's endorsements (OB 2.0 "Properties": endorsement) are read in the document's own
    // query, as a correlated list (one SQL command, a LEFT JOIN): made or revoked, an endorsement shows in
    // the very next answer and its ETag, at no second round trip.

    /// <summary>The columns of a hosted issuer Profile; null when there is no such issuer.</summary>
    public static async Task<IssuerRow?> Issuer(string id, BadgesDbContext db, CancellationToken ct) =>
        !PublicIds.LooksValid(id) ? null : await db.Issuers.AsNoTracking().Where(i => i.PublicId == id)
            .Select(i => new IssuerRow(i.PublicId, i.Name, i.Url, i.Email, i.Telephone, i.Description, i.ImageId != null,
                db.SigningKeys.Where(k => k.IssuerId == i.Id && k.IsCurrent).Select(k => k.PublicId).FirstOrDefault(),
                db.Endorsements.Where(e => e.TargetKind == EndorsementTarget.Issuer && e.TargetPublicId == i.PublicId && e.RevokedAt == null)
                    .OrderBy(e => e.Id).Select(e => e.PublicId).ToList()))
            .SingleOrDefaultAsync(ct) is { } row ? row with { Endorsements = Listed(row.Endorsements) } : null;

    private sealed record FoundAssertion(AssertionRow Row, List<string> Endorsements);

    // Compiled once per model (a compiled query serves one model): the read behind every public assertion
    // document, baked image and verification of our badges skips EF Core's per-call expression work, a
    // third of the read's CPU when a kept answer has expired (issue #14).
    private static readonly CompiledPerModel<Func<BadgesDbContext, string, CancellationToken, Task<FoundAssertion?>>> AssertionById = new(() =>
        EF.CompileAsyncQuery((BadgesDbContext db, string id, CancellationToken ct) => db.Assertions.AsNoTracking().Where(a => a.PublicId == id)
            .Select(a => new FoundAssertion(
                AssertionRow.From(a, a.BadgeClass!.PublicId, a.SigningKey != null ? a.SigningKey.PublicId : null),
                db.Endorsements.Where(e => e.TargetKind == EndorsementTarget.Assertion && e.TargetPublicId == a.PublicId && e.RevokedAt == null)
                    .OrderBy(e => e.Id).Select(e => e.PublicId).ToList()))
            .SingleOrDefault())!);

    /// <summary>The columns of a hosted or signed Assertion; null when there is none.</summary>
    public static async Task<AssertionRow?> Assertion(string id, BadgesDbContext db, CancellationToken ct)
    {
        var found = !PublicIds.LooksValid(id) ? null : await AssertionById.For(db)(db, id, ct);
        // A revoked or signed assertion lists none (its 410 body and its signed payload have no such property).
        return found is null ? null
            : found.Row.RevokedAt is not null || found.Row.IsSigned ? found.Row
            : found.Row with { Endorsements = Listed(found.Endorsements) };
    }

    /// <summary>The columns of a hosted BadgeClass; null when there is none.</summary>
    public static async Task<BadgeClassRow?> BadgeClass(string id, BadgesDbContext db, CancellationToken ct)
    {
        var found = !PublicIds.LooksValid(id) ? null : await db.BadgeClasses.AsNoTracking().Where(b => b.PublicId == id)
            .Select(b => new
            {
                b.IssuerId,
                Row = new BadgeClassRow(b.PublicId, b.Issuer!.PublicId, b.Language, b.Name, b.Description, b.CriteriaNarrative,
                    b.CriteriaUrl, b.TagsJson, b.AlignmentsJson, b.TranslationsJson, b.CatalogueCode, b.LevelRule, null,
                    db.Endorsements.Where(e => e.TargetKind == EndorsementTarget.BadgeClass && e.TargetPublicId == b.PublicId && e.RevokedAt == null)
                        .OrderBy(e => e.Id).Select(e => e.PublicId).ToList()),
            })
            .SingleOrDefaultAsync(ct);
        return found is null ? null : await WithPathAsync(found.Row with { Endorsements = Listed(found.Row.Endorsements) }, found.IssuerId, db, ct);
    }

    /// <summary>The columns of a hosted Endorsement; null when there is none.</summary>
    public static async Task<EndorsementRow?> Endorsement(string id, BadgesDbContext db, CancellationToken ct) =>
        !PublicIds.LooksValid(id) ? null : await db.Endorsements.AsNoTracking().Where(e => e.PublicId == id)
            .Select(e => new EndorsementRow(e.PublicId, db.Issuers.Where(i => i.Id == e.IssuerId).Select(i => i.PublicId).First(),
                e.TargetKind, e.TargetPublicId, e.Comment, e.IssuedOn, e.RevokedAt, e.RevocationReason,
                e.TargetKind == EndorsementTarget.Assertion ? db.Assertions.Where(a => a.PublicId == e.TargetPublicId).Select(a => a.Uuid).FirstOrDefault() : null))
            .SingleOrDefaultAsync(ct);

    /// <summary>
    /// For a strict class with a level: the catalogue classes its criteria may name as the level below (its
    /// issuer's own first, then the catalogue owner's); other rows are returned as they are.
    /// </summary>
    public static async Task<BadgeClassRow> WithPathAsync(BadgeClassRow row, long issuerId, BadgesDbContext db, CancellationToken ct)
    {
        if (row.LevelRule != Core.Catalogue.LevelRule.Strict || row.CatalogueCode is null) { return row; }
        var path = await db.BadgeClasses.AsNoTracking()
            .Where(b => b.CatalogueCode != null && b.ArchivedAt == null && (b.IssuerId == issuerId || b.Issuer!.IsCatalogueOwner))
            .OrderBy(b => b.IssuerId == issuerId ? 0 : 1).ThenBy(b => b.Id)
            .Select(b => new PathClass(b.PublicId, b.CatalogueCode!)).ToListAsync(ct);
        return row with { PathClasses = path };
    }

    /// <summary>The published CryptographicKey, owned by its issuer; null when there is no such key.</summary>
    public static async Task<CryptographicKey?> Key(string id, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var key = !PublicIds.LooksValid(id) ? null : await db.SigningKeys.AsNoTracking().Where(k => k.PublicId == id)
            .Select(k => new { k.PublicKeyPem, Owner = db.Issuers.Where(i => i.Id == k.IssuerId).Select(i => i.PublicId).First() })
            .SingleOrDefaultAsync(ct);
        return key is null ? null : new CryptographicKey { Id = urls.Key(id), Owner = urls.Issuer(key.Owner), PublicKeyPem = key.PublicKeyPem };
    }

    /// <summary>The issuer's RevocationList (every revoked assertion, always an array); null when there is no such issuer.</summary>
    public static async Task<RevocationList?> RevocationList(string id, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var issuer = !PublicIds.LooksValid(id) ? null : await db.Issuers.AsNoTracking().Where(i => i.PublicId == id).Select(i => new { i.Id }).SingleOrDefaultAsync(ct);
        if (issuer is null) { return null; }
        var revoked = await db.Assertions.AsNoTracking().Where(a => a.IssuerId == issuer.Id && a.RevokedAt != null).OrderBy(a => a.Id)
            .Select(a => new { a.PublicId, a.VerificationType, a.Uuid, a.RevocationReason }).ToListAsync(ct);
        return new RevocationList
        {
            Id = urls.RevocationList(id),
            Issuer = urls.Issuer(id),
            RevokedAssertions = [.. revoked.Select(a => new RevokedEntry(
                VerificationTypes.OpenBadgesId(a.VerificationType, a.Uuid, urls.Assertion(a.PublicId)), a.RevocationReason))],
        };
    }

    /// <summary>
    /// The endorsements a document lists, capped here rather than in SQL: a cap per document in SQL is a
    /// window (ROW_NUMBER over every endorsement of that kind) that the database plans and runs on every
    /// read. Without it the list is an index lookup, and it is short by construction (an issuer endorses a
    /// document once, so at most one row per issuer).
    /// </summary>
    internal static IReadOnlyList<string>? Listed(IReadOnlyList<string>? endorsements) =>
        endorsements is null || endorsements.Count <= Limits.EndorsementsListed ? endorsements : [.. endorsements.Take(Limits.EndorsementsListed)];
}
