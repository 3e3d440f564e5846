using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Claims;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.DataRights;

/// <summary>
/// The one way a volunteer's data are erased (GDPR article 17), whoever asks: the volunteer from their
/// proven link (every issuer, and their skills maps), an admin (the same), or an issuer's staff (that
/// issuer's badges, applications and claims only). In one transaction, all or nothing:
/// <list type="bullet">
/// <item>badges are revoked through <see cref="Revocation"/> (its <c>assertion.revoked</c> events, webhooks
/// and caches as for any revocation) with <see cref="Reason"/>; then every badge of the address, revoked
/// before or now, loses its narrative, evidence and, for a signed one, its stored JWS (whose payload
/// carries them): a hosted badge answers 410 with the reason alone, a signed one is in its issuer's
/// revocation list by its id, which the row keeps. The recipient's hash, salt and lookup key are replaced,
/// so the address neither finds the rows again nor can be confirmed against them;</item>
/// <item>applications are deleted (their history and mails go with them); claims lose their words and
/// address, and a pending one is closed as rejected;</item>
/// <item>skills maps are deleted (experiences, competences, applications, mails: ON DELETE CASCADE), and the
/// address's data access links;</item>
/// <item>any mail still waiting for one of those badges or claims loses its address and is not sent.</item>
/// </list>
/// </summary>
public sealed class Erasure(BadgesDbContext db, Revocation revocation, Audit.AuditTrail audit, TimeProvider clock)
{
    /// <summary>
    /// The revocation reason, published in the 410 body and the revocation list (OB 2.0 "Assertion":
    /// revocationReason is one text); the pages show it in the page's language (page texts: reason_erased).
    /// </summary>
    public const string Reason = "deleted at the recipient's request";

    /// <summary>The hash an erased badge keeps: the shape of OB 2.0's "IdentityObject" identity, of nobody.</summary>
    private const string ErasedHash = "sha256$0000000000000000000000000000000000000000000000000000000000000000";

    /// <param name="lookup">The recipient's lookup key (assertions.recipient_lookup).</param>
    /// <param name="issuerId">Staff: the issuer's badges, applications and claims only; null: everything (and the maps).</param>
    public async Task<ErasureResponse> EraseAsync(string lookup, long? issuerId, string? reference, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var outcomes = new List<RevocationOutcome>();
        int cleared = 0, applications, claims, maps = 0;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var badges = await db.Assertions.AsNoTracking().Where(a => a.RecipientLookup == lookup && (issuerId == null || a.IssuerId == issuerId))
                .Select(a => new { a.Id, a.PublicId, a.IssuerId }).ToListAsync(ct);
            foreach (var issuer in badges.GroupBy(b => b.IssuerId))
            {
                outcomes.Add(await revocation.RevokeInTransactionAsync(issuer.Key, [.. issuer.Select(b => b.PublicId)], Reason, ct));
            }
            foreach (var chunk in badges.Select(b => b.Id).Chunk(1000))
            {
                cleared += await db.Assertions.Where(a => chunk.Contains(a.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Narrative, (string?)null).SetProperty(a => a.EvidenceJson, (string?)null).SetProperty(a => a.Jws, (string?)null)
                    .SetProperty(a => a.RecipientHash, ErasedHash).SetProperty(a => a.RecipientSalt, "")
                    .SetProperty(a => a.RecipientLookup, a => "erased:" + a.PublicId).SetProperty(a => a.UpdatedAt, now), ct);
                await db.AwardMailRequests.Where(r => chunk.Contains(r.AssertionId)).ExecuteDeleteAsync(ct);
                await db.ExpiryReminders.Where(r => chunk.Contains(r.AssertionId)).ExecuteDeleteAsync(ct);
                await Unsent(db.AwardMails.Where(m => m.AssertionId != null && chunk.Contains(m.AssertionId.Value)), now, ct);
            }

            // Applications: their events and the events' mails go with them (ON DELETE CASCADE).
            applications = await db.Applications.Where(a => a.RecipientLookup == lookup && (issuerId == null || a.IssuerId == issuerId)).ExecuteDeleteAsync(ct);

            // Claims stay (a badge or a mail may name them) without their words, address or key; a pending one is closed.
            var claimIds = await db.Claims.Where(c => c.RecipientLookup == lookup && (issuerId == null || c.IssuerId == issuerId)).Select(c => c.Id).ToListAsync(ct);
            claims = claimIds.Count;
            foreach (var chunk in claimIds.Chunk(1000))
            {
                await db.Claims.Where(c => chunk.Contains(c.Id) && c.Status == ClaimStatus.Pending).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, ClaimStatus.Rejected).SetProperty(c => c.ReviewComment, Reason).SetProperty(c => c.DecidedAt, now), ct);
                await db.Claims.Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Narrative, (string?)null).SetProperty(c => c.Address, (string?)null)
                    .SetProperty(c => c.RecipientLookup, c => "erased:" + c.PublicId).SetProperty(c => c.UpdatedAt, now), ct);
                await Unsent(db.AwardMails.Where(m => m.ClaimId != null && chunk.Contains(m.ClaimId.Value)), now, ct);
            }

            if (issuerId is null)
            {
                // The maps: experiences, competences, applications and their mails go with them (ON DELETE CASCADE).
                maps = await db.SkillsMaps.Where(m => m.RecipientLookup == lookup).ExecuteDeleteAsync(ct);
                await db.DataAccesses.Where(a => a.RecipientLookup == lookup).ExecuteDeleteAsync(ct);
            }
            // The erasure itself in the audit, in its transaction: by its request's reference (staff, admins),
            // else as the recipient's own request. Never the address: the entry names no person.
            await audit.InsertAsync(Audit.AuditAction.Erasure,
                [new Audit.AuditTarget(Audit.AuditTargets.Erasure, reference ?? "recipient-request", issuerId)], ct);
            await tx.CommitAsync(ct);
        }
        foreach (var outcome in outcomes) { revocation.Committed(outcome); }
        return new ErasureResponse(outcomes.Sum(o => o.Revoked.Count), cleared, applications, claims, maps, reference);
    }

    /// <summary>Mails still waiting for an erased badge or claim: their address goes, and they are not sent.</summary>
    private static Task<int> Unsent(IQueryable<Data.Entities.AwardMailEntity> mails, DateTime now, CancellationToken ct) =>
        mails.Where(m => m.Status == MailStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, MailStatus.Failed).SetProperty(m => m.Address, (string?)null)
            .SetProperty(m => m.LastError, "Not sent: its recipient's data were erased.").SetProperty(m => m.LeaseUntil, (DateTime?)null)
            .SetProperty(m => m.ClaimToken, (string?)null).SetProperty(m => m.UpdatedAt, now).SetProperty(m => m.CompletedAt, now), ct);
}
