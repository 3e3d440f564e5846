using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.SkillsMaps;

/// <summary>
/// The skills map's capability token: 256 random bits, base64url, mailed to the volunteer and never
/// stored. The database keeps its SHA-256 only; a token has full entropy, so a plain hash (no key, no
/// salt) cannot be reversed or guessed, and a leaked database opens no map.
/// </summary>
public static class SkillsMapTokens
{
    /// <summary>The length of a token as written (43 base64url characters); longer input is refused unread.</summary>
    public const int Length = 43;

    /// <summary>A fresh token and the hash to store.</summary>
    public static (string Token, string Hash) New()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (token, Hash(token));
    }

    /// <summary>The stored form of a token.</summary>
    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// The map a token opens, or null. A token of the wrong shape is hashed and looked up all the same,
    /// so its answer takes as long as a wrong token of the right shape.
    /// </summary>
    public static Task<SkillsMapEntity?> FindAsync(BadgesDbContext db, string? token, CancellationToken ct)
    {
        var hash = Presented(token);
        return db.SkillsMaps.SingleOrDefaultAsync(m => m.TokenHash == hash, ct);
    }

    /// <summary>
    /// The hash to look a presented token up by: a token of the wrong shape is hashed all the same (into
    /// a value no token hashes to), so its answer takes as long as a wrong token of the right shape.
    /// </summary>
    public static string Presented(string? token) =>
        Hash(token is { Length: Length } ? token : "-" + (token?.Length > Length ? token[..Length] : token));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
