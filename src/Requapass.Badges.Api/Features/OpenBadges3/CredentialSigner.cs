using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Requapass.Badges.Api.Features.Signing;
using Requapass.Badges.Core.OpenBadges3;
using Requapass.Badges.Core.Signing;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.OpenBadges3;

/// <summary>The key a credential is signed with: its published row and the private key loaded here.</summary>
public sealed record CredentialKey(string PublicId, SigningKey Key);

/// <summary>
/// Signs OB 3.0 credentials as VC-JWTs on read. Unlike a 2.0 signed assertion (signed once at award and
/// stored), a credential's payload follows the class, the issuer profile and the current key, so it is
/// made when asked; the cost stays bounded because RS256 (RSASSA-PKCS1-v1_5) is deterministic: the ETag
/// is taken over the signing input, so a revalidation (304) never signs, and a token once made is kept
/// in memory by that input, so a node signs a given credential once while nothing in it changes.
/// </summary>
public sealed class CredentialSigner : IDisposable
{
    // Each entry is one token (a few kB); 4,096 of them cap the cache at about 20 MB.
    private readonly MemoryCache _tokens = new(new MemoryCacheOptions { SizeLimit = 4096 });

    /// <summary>The signed token for a signing input, made once per node.</summary>
    public string Sign(OpenBadgeCredential credential, CredentialKey key, string kid)
    {
        var input = VcJwt.SigningInput(credential, kid);
        var cacheKey = Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(input + "|" + key.Key.Thumbprint)));
        return _tokens.GetOrCreate(cacheKey, entry =>
        {
            entry.Size = 1;
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return VcJwt.Sign(credential, key.Key, kid);
        })!;
    }

    /// <summary>
    /// The key for an issuer's credential: the key that signed its 2.0 twin when this node holds it (one
    /// award, one key), else the issuer's current key (made current on first use, as an award does).
    /// Null when no key is loaded here for the issuer.
    /// </summary>
    public static async Task<CredentialKey?> KeyAsync(string issuerPublicId, string? preferredKeyId, BadgesDbContext db, KeyRing ring, IssuerKeys issuerKeys, CancellationToken ct)
    {
        var issuer = await db.Issuers.AsNoTracking().Where(i => i.PublicId == issuerPublicId).Select(i => new { i.Id }).SingleOrDefaultAsync(ct);
        if (issuer is null) { return null; }
        var rows = await db.SigningKeys.AsNoTracking().Where(k => k.IssuerId == issuer.Id && (k.IsCurrent || k.PublicId == preferredKeyId))
            .Select(k => new { k.PublicId, k.Thumbprint, k.IsCurrent }).ToListAsync(ct);
        foreach (var row in rows.OrderBy(k => k.PublicId == preferredKeyId ? 0 : 1))
        {
            if (ring.ByThumbprint(row.Thumbprint) is { } key) { return new CredentialKey(row.PublicId, key); }
        }
        if (rows.Any(k => k.IsCurrent)) { return null; }
        var (current, currentKey) = await issuerKeys.CurrentAsync(issuer.Id, issuerPublicId, ct);
        return currentKey is null ? null : new CredentialKey(current.PublicId, currentKey);
    }

    /// <summary>
    /// The VC-JWT of an award that is not revoked, as /ob3 serves it (the one place a baked 3.0 image, the
    /// verifier's own source and the export get it); null when its class or issuer is gone or no key for its
    /// issuer is loaded on this node.
    /// </summary>
    public async Task<string?> TokenAsync(Public.AssertionRow row, BadgesDbContext db, Ob3Documents documents, KeyRing ring, IssuerKeys issuerKeys, CancellationToken ct)
    {
        var badge = await Lookups.DocumentRows.BadgeClass(row.BadgeClassPublicId, db, ct);
        var issuer = badge is null ? null : await Lookups.DocumentRows.Issuer(badge.IssuerPublicId, db, ct);
        if (issuer is null) { return null; }
        var key = await KeyAsync(issuer.PublicId, row.SigningKeyPublicId, db, ring, issuerKeys, ct);
        return key is null ? null : Sign(documents.Credential(row, badge!, issuer), key, documents.KidUrl(key.PublicId));
    }

    public void Dispose() => _tokens.Dispose();
}
