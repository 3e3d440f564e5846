using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Verification;

/// <summary>
/// Counts verifications of our own badges for the barometer: one counter row per badge class and UTC
/// month, upserted in one statement (INSERT ... ON CONFLICT DO UPDATE, the same text on SQLite and
/// PostgreSQL). Nothing about the verifier or the badge's holder is kept: no address, no assertion id.
/// A badge is ours when the report's assertion id names one of our assertions (its URL under our
/// base, its OB 3.0 credential's id, or the urn:uuid of one of our signed badges). The counter never fails a verification.
/// </summary>
public sealed class VerificationCounter(BadgesDbContext db, PublicUrls urls, TimeProvider clock, ILogger<VerificationCounter> log)
{
    public async Task CountAsync(JsonElement? assertion, CancellationToken ct)
    {
        try
        {
            if (assertion is not { ValueKind: JsonValueKind.Object } a || !a.TryGetProperty("id", out var idProperty) || idProperty.ValueKind != JsonValueKind.String) { return; }
            var id = idProperty.GetString()!;
            var now = clock.GetUtcNow().UtcDateTime;
            var month = now.Year * 100 + now.Month;
            var prefix = urls.Base + "/public/assertions/";
            // A badge of ours or nothing: the SELECT finds no row for a foreign id, and nothing is written.
            // An OB 3.0 credential of ours is the same award: its id is the assertion's URL + "/ob3".
            var rest = id.StartsWith(prefix, StringComparison.Ordinal) ? id[prefix.Length..] : null;
            if (rest is not null && rest.EndsWith("/ob3", StringComparison.Ordinal)) { rest = rest[..^"/ob3".Length]; }
            if (rest is { Length: > 0 } && !rest.Contains('/'))
            {
                var publicId = rest;
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO verification_counts (badge_class_id, month, count)
                    SELECT badge_class_id, {month}, 1 FROM assertions WHERE public_id = {publicId}
                    ON CONFLICT (badge_class_id, month) DO UPDATE SET count = verification_counts.count + 1
                    """, ct);
            }
            else if (id.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase))
            {
                var uuid = id["urn:uuid:".Length..].ToLowerInvariant();
                await db.Database.ExecuteSqlInterpolatedAsync($"""
                    INSERT INTO verification_counts (badge_class_id, month, count)
                    SELECT badge_class_id, {month}, 1 FROM assertions WHERE uuid = {uuid}
                    ON CONFLICT (badge_class_id, month) DO UPDATE SET count = verification_counts.count + 1
                    """, ct);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The verification's answer matters more than the barometer: log and go on.
            log.LogWarning(e, "A verification could not be counted for the statistics.");
        }
    }
}
