using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using RevocationList = Requapass.Badges.Core.OpenBadges3.RevocationList;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>The rows behind the OB 3.0 documents, read one way for the public routes and the verifier's own source.</summary>
public static class Ob3Rows
{
    /// <summary>An issuer's published keys, its current one first.</summary>
    public static async Task<IReadOnlyList<KeyRow>> KeysAsync(string issuerId, BadgesDbContext db, CancellationToken ct) =>
        !PublicIds.LooksValid(issuerId) ? [] : await db.SigningKeys.AsNoTracking()
            .Where(k => db.Issuers.Any(i => i.Id == k.IssuerId && i.PublicId == issuerId))
            .OrderByDescending(k => k.IsCurrent).ThenBy(k => k.Id).Select(k => new KeyRow(k.PublicId, k.PublicKeyPem)).ToListAsync(ct);

    /// <summary>One published key; null when there is none.</summary>
    public static async Task<KeyRow?> KeyAsync(string keyId, BadgesDbContext db, CancellationToken ct) =>
        !PublicIds.LooksValid(keyId) ? null : await db.SigningKeys.AsNoTracking().Where(k => k.PublicId == keyId)
            .Select(k => new KeyRow(k.PublicId, k.PublicKeyPem)).SingleOrDefaultAsync(ct);

    /// <summary>The issuer's 1EdTech revocation list; null when there is no such issuer.</summary>
    public static async Task<RevocationList?> RevocationListAsync(string issuerId, BadgesDbContext db, Ob3Documents documents, CancellationToken ct)
    {
        var issuer = !PublicIds.LooksValid(issuerId) ? null
            : await db.Issuers.AsNoTracking().Where(i => i.PublicId == issuerId).Select(i => new { i.Id }).SingleOrDefaultAsync(ct);
        if (issuer is null) { return null; }
        // The same rows as the 2.0 RevocationList (DocumentRows.RevocationList): every revoked award of the issuer.
        var revoked = await db.Assertions.AsNoTracking().Where(a => a.IssuerId == issuer.Id && a.RevokedAt != null).OrderBy(a => a.Id)
            .Select(a => new { a.PublicId, a.RevocationReason }).ToListAsync(ct);
        return documents.RevocationList(issuerId, revoked.Select(r => (r.PublicId, r.RevocationReason)));
    }
}
