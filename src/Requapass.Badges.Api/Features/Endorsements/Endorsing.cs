using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Verification;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Endorsements;

/// <summary>The endorsed document, found from its public URL: its kind, public id and owner.</summary>
public sealed record EndorsedDocument(EndorsementTarget Kind, string PublicId, long IssuerId);

/// <summary>Why an endorsement was not made.</summary>
public enum EndorseRefusal { None, NotOurs, NotFound, Revoked, Self, Duplicate }

/// <summary>
/// The one way endorsements are made and revoked (issue #13, part 4), each in one transaction with its
/// outbox event (<c>endorsement.issued</c>, <c>endorsement.revoked</c>) for the endorser and for the
/// endorsed document's issuer; then the verifier's cached documents on this node are dropped, so the
/// endorsed document's <c>endorsement</c> list is right in the next verification. The public documents
/// read the list on every request, so they (and their ETags) change at once.
/// </summary>
public sealed class Endorsing(BadgesDbContext db, PublicUrls urls, OwnDocumentCache verifierCache, Public.PublicAnswerCache answers, TimeProvider clock, Audit.AuditTrail audit)
{
    /// <summary>
    /// Reads a target URL: only our own public documents can be endorsed here (a foreign document's
    /// issuer could not list the endorsement). Resolved by public id, as the public routes do.
    /// </summary>
    public async Task<(EndorsedDocument? Document, EndorseRefusal Refusal)> ResolveAsync(string target, CancellationToken ct)
    {
        var prefix = urls.Base + "/public/";
        if (!target.StartsWith(prefix, StringComparison.Ordinal) || target.Contains('?') || target.Contains('#')) { return (null, EndorseRefusal.NotOurs); }
        switch (target[prefix.Length..].Split('/'))
        {
            case ["issuers", var id]:
                var issuer = !PublicIds.LooksValid(id) ? null : await db.Issuers.AsNoTracking().Where(i => i.PublicId == id).Select(i => new { i.Id }).SingleOrDefaultAsync(ct);
                return issuer is null ? (null, EndorseRefusal.NotFound) : (new(EndorsementTarget.Issuer, id, issuer.Id), EndorseRefusal.None);
            case ["badges", var id]:
                var badge = !PublicIds.LooksValid(id) ? null : await db.BadgeClasses.AsNoTracking().Where(b => b.PublicId == id).Select(b => new { b.IssuerId }).SingleOrDefaultAsync(ct);
                return badge is null ? (null, EndorseRefusal.NotFound) : (new(EndorsementTarget.BadgeClass, id, badge.IssuerId), EndorseRefusal.None);
            case ["assertions", var id]:
                var assertion = !PublicIds.LooksValid(id) ? null : await db.Assertions.AsNoTracking().Where(a => a.PublicId == id)
                    .Select(a => new { a.IssuerId, a.VerificationType, a.RevokedAt }).SingleOrDefaultAsync(ct);
                if (assertion is null) { return (null, EndorseRefusal.NotFound); }
                // A signed assertion (REQUAPASS's default) is endorsed too: a referent vouches for the badge
                // whatever its verification. Its JSON is the payload signed at award time, so it cannot list
                // the endorsement (OB 2.0 makes that link optional); the endorsement names it by the URL that
                // serves it, and a verifier reaches it from there.
                if (assertion.RevokedAt is not null) { return (null, EndorseRefusal.Revoked); }
                return (new(EndorsementTarget.Assertion, id, assertion.IssuerId), EndorseRefusal.None);
            default:
                return (null, EndorseRefusal.NotOurs);
        }
    }

    /// <summary>Publishes an endorsement by <paramref name="issuerId"/>; refused for its own document or a second one of the same document.</summary>
    public async Task<(string? PublicId, EndorseRefusal Refusal)> EndorseAsync(long issuerId, string issuerPublicId, EndorsedDocument target, string comment, CancellationToken ct)
    {
        if (target.IssuerId == issuerId) { return (null, EndorseRefusal.Self); }
        var now = clock.GetUtcNow().UtcDateTime;
        var publicId = PublicIds.New();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Endorsements.AnyAsync(e => e.IssuerId == issuerId && e.TargetKind == target.Kind && e.TargetPublicId == target.PublicId && e.RevokedAt == null, ct))
            {
                return (null, EndorseRefusal.Duplicate);
            }
            db.Endorsements.Add(new EndorsementEntity
            {
                PublicId = publicId, IssuerId = issuerId, TargetKind = target.Kind, TargetPublicId = target.PublicId, TargetIssuerId = target.IssuerId,
                Comment = comment, IssuedOn = now, CreatedAt = now,
            });
            audit.Record(Audit.AuditAction.EndorsementIssued, new(Audit.AuditTargets.Endorsement, publicId, issuerId));
            try { await db.SaveChangesAsync(ct); }
            // The same endorsement made twice at once: the partial unique index keeps one.
            catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e)) { return (null, EndorseRefusal.Duplicate); }
            var payload = new { endorsementId = publicId, endorser = issuerPublicId, targetKind = EndorsementTargets.Name(target.Kind), targetId = target.PublicId, issuedOn = now };
            await Outbox.InsertAsync(db, Events(EventTypes.EndorsementIssued, issuerId, target.IssuerId, publicId, payload, now), ct);
            await tx.CommitAsync(ct);
        }
        verifierCache.DocumentsChanged();
        answers.Changed();
        return (publicId, EndorseRefusal.None);
    }

    /// <summary>Revokes an endorsement, once: revoking again changes nothing and writes no event.</summary>
    public async Task RevokeAsync(string publicId, string reason, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        reason = reason.Trim();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var row = await db.Endorsements.AsNoTracking().Where(e => e.PublicId == publicId)
                .Select(e => new { e.Id, e.IssuerId, e.TargetIssuerId, e.TargetKind, e.TargetPublicId }).SingleAsync(ct);
            // Conditioned on "not yet revoked": of two revocations racing, one writes the event.
            var changed = await db.Endorsements.Where(e => e.Id == row.Id && e.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.RevokedAt, now).SetProperty(e => e.RevocationReason, reason), ct);
            if (changed == 0) { return; }
            var payload = new { endorsementId = publicId, targetKind = EndorsementTargets.Name(row.TargetKind), targetId = row.TargetPublicId, revokedAt = now, reason };
            await Outbox.InsertAsync(db, Events(EventTypes.EndorsementRevoked, row.IssuerId, row.TargetIssuerId, publicId, payload, now), ct);
            await audit.InsertAsync(Audit.AuditAction.EndorsementRevoked, [new(Audit.AuditTargets.Endorsement, publicId, row.IssuerId)], ct);
            await tx.CommitAsync(ct);
        }
        verifierCache.DocumentsChanged();
        answers.Changed();
    }

    /// <summary>One event for the endorser's webhooks and one for the endorsed issuer's.</summary>
    private static List<OutboxEventEntity> Events(string type, long endorser, long endorsed, string subject, object payload, DateTime at) =>
        [Outbox.New(type, endorser, subject, payload, at), Outbox.New(type, endorsed, subject, payload, at)];
}
