using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Signing;

/// <summary>
/// Which key an issuer signs with now. Each issuer has its own published key rows (the key document's
/// owner is the issuer), even when the private key is a shared platform key. A rotation retires the
/// current row; retired keys stay published so older badges keep verifying.
/// </summary>
public sealed class IssuerKeys(BadgesDbContext db, KeyRing ring, TimeProvider clock, Audit.AuditTrail audit)
{
    /// <summary>The issuer's current key row and its private key, creating the row on first use.</summary>
    public async Task<(SigningKeyEntity Row, SigningKey? Key)> CurrentAsync(long issuerId, string issuerPublicId, CancellationToken ct)
    {
        var row = await db.SigningKeys.SingleOrDefaultAsync(k => k.IssuerId == issuerId && k.IsCurrent, ct);
        if (row is null)
        {
            var key = ring.For(issuerPublicId).FirstOrDefault();
            if (key is null) { return (null!, null); }
            row = Add(issuerId, key);
            await db.SaveChangesAsync(ct);
        }
        return (row, ring.ByThumbprint(row.Thumbprint));
    }

    /// <summary>Makes the next available key current. Null when no unused key is configured (outside Development).</summary>
    public async Task<SigningKeyEntity?> RotateAsync(IssuerEntity issuer, CancellationToken ct)
    {
        var used = await db.SigningKeys.Where(k => k.IssuerId == issuer.Id).Select(k => k.Thumbprint).ToListAsync(ct);
        var next = ring.For(issuer.PublicId).FirstOrDefault(k => !used.Contains(k.Thumbprint)) ?? ring.GenerateForDevelopment();
        if (next is null) { return null; }
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var current in await db.SigningKeys.Where(k => k.IssuerId == issuer.Id && k.IsCurrent).ToListAsync(ct))
        {
            (current.IsCurrent, current.RetiredAt) = (false, now);
        }
        var row = Add(issuer.Id, next);
        // A rotation is a staff action: audited with the new key, in the same SaveChanges.
        audit.Record(Audit.AuditAction.SigningKeyRotated, new(Audit.AuditTargets.SigningKey, row.PublicId, issuer.Id));
        await db.SaveChangesAsync(ct);
        return row;
    }

    private SigningKeyEntity Add(long issuerId, SigningKey key)
    {
        var row = new SigningKeyEntity
        {
            PublicId = PublicIds.New(), IssuerId = issuerId, Thumbprint = key.Thumbprint, PublicKeyPem = key.PublicKeyPem,
            IsCurrent = true, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.SigningKeys.Add(row);
        return row;
    }
}
