using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>What a revocation did to each id it was given.</summary>
/// <remarks>Forbidden: assertions of another issuer, left alone (one at a time they answer 403).</remarks>
public sealed record RevocationOutcome(
    IReadOnlyList<string> Revoked, IReadOnlyList<string> AlreadyRevoked, IReadOnlyList<string> NotFound, IReadOnlyList<string> Forbidden);

/// <summary>
/// The one way assertions are revoked, one or many: in one transaction, only the issuer's own and
/// only those not yet revoked, each with an <c>assertion.revoked</c> event; then the verifier's
/// cached "not revoked" answers on this node are dropped. Revoking again changes nothing and writes
/// no event.
/// </summary>
public sealed class Revocation(BadgesDbContext db, OwnDocumentCache verifierCache, Public.PublicAnswerCache answers, TimeProvider clock, Telemetry.BadgeMetrics metrics, Audit.AuditTrail audit)
{
    public async Task<RevocationOutcome> RevokeAsync(long issuerId, IReadOnlyCollection<string> publicIds, string reason, CancellationToken ct)
    {
        RevocationOutcome outcome;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            outcome = await RevokeInTransactionAsync(issuerId, publicIds, reason, ct);
            await tx.CommitAsync(ct);
        }
        Committed(outcome);
        return outcome;
    }

    /// <summary>
    /// The revocation's writes, in the caller's open transaction (an erasure revokes and clears in one):
    /// the caller commits, then calls <see cref="Committed"/>.
    /// </summary>
    public async Task<RevocationOutcome> RevokeInTransactionAsync(long issuerId, IReadOnlyCollection<string> publicIds, string reason, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) { throw new InvalidOperationException("A revocation's writes need an open transaction."); }
        var now = clock.GetUtcNow().UtcDateTime;
        reason = reason.Trim();
        var revoked = new List<string>();
        var already = new List<string>();
        var forbidden = new List<string>();
        foreach (var chunk in publicIds.Chunk(1000))
        {
            var rows = await db.Assertions.AsNoTracking().Where(a => chunk.Contains(a.PublicId))
                .Select(a => new { a.Id, a.PublicId, a.IssuerId, Revoked = a.RevokedAt != null }).ToListAsync(ct);
            forbidden.AddRange(rows.Where(a => a.IssuerId != issuerId).Select(a => a.PublicId));
            var found = rows.Where(a => a.IssuerId == issuerId).ToList();
            already.AddRange(found.Where(a => a.Revoked).Select(a => a.PublicId));
            var events = new List<Data.Entities.OutboxEventEntity>();
            var revokedIds = new List<long>();
            foreach (var a in found.Where(a => !a.Revoked))
            {
                // Row by row, conditioned on "not yet revoked": of two revocations racing, one writes the event.
                var changed = await db.Assertions.Where(x => x.Id == a.Id && x.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.UpdatedAt, now)
                        .SetProperty(x => x.RevocationReason, reason), ct);
                if (changed == 1)
                {
                    revoked.Add(a.PublicId);
                    revokedIds.Add(a.Id);
                    events.Add(Outbox.New(EventTypes.AssertionRevoked, issuerId, a.PublicId,
                        new { assertionId = a.PublicId, revokedAt = now, reason }, now));
                }
                else
                {
                    already.Add(a.PublicId);
                }
            }
            await Outbox.InsertAsync(db, events, ct);
            // One audit entry per badge actually revoked, in the same transaction as its event.
            await audit.InsertAsync(Audit.AuditAction.AssertionRevoked,
                [.. events.Select(e => new Audit.AuditTarget(Audit.AuditTargets.Assertion, e.Subject, issuerId))], ct);
            // A revoked badge gets no reminder: the address kept for one goes with the revocation.
            await Mail.ExpiryReminders.ForgetAsync(db, revokedIds, ct);
        }
        // Each list in the order the ids were given.
        var known = revoked.Concat(already).Concat(forbidden).ToHashSet(StringComparer.Ordinal);
        List<string> InOrder(List<string> ids) { var set = ids.ToHashSet(StringComparer.Ordinal); return [.. publicIds.Where(set.Contains)]; }
        return new RevocationOutcome(InOrder(revoked), InOrder(already), [.. publicIds.Where(id => !known.Contains(id))], InOrder(forbidden));
    }

    /// <summary>
    /// After the commit: this node's verifier forgets its "not revoked" answers, the public answers it
    /// keeps are dropped, and the revocations are counted.
    /// </summary>
    public void Committed(RevocationOutcome outcome)
    {
        if (outcome.Revoked.Count == 0) { return; }
        verifierCache.RevocationsChanged();
        answers.Changed();
        metrics.Revoked(outcome.Revoked.Count);
    }
}
