using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Applications;
using Requapass.Badges.Api.Features.Batches;
using Requapass.Badges.Api.Features.Claims;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Retention;

/// <summary>
/// The retention rules, each applied in batches: the ids of a batch are read first, then changed by a
/// statement that repeats the rule's condition (a row another sweep already took is left alone).
/// </summary>
public sealed class RetentionRules(BadgesDbContext db, RetentionOptions settings, DateTime now)
{
    /// <summary>What a batch's rows become: "[]" is a finished bulk award whose rows were wiped.</summary>
    public const string WipedRows = "[]";

    public async Task<RetentionOutcome> ApplyAsync(CancellationToken ct) => new(
        Ran: true,
        MailsGivenUp: await GiveUpMailsAsync(ct),
        MailAddressesWiped: await WipeFinishedMailAddressesAsync(ct),
        MailRequestsDeleted: await DeleteMailRequestsAsync(ct),
        ClaimAddressesWiped: await WipeWaitingClaimAddressesAsync(ct),
        ClaimsDeleted: await DeleteRejectedClaimsAsync(ct),
        ApplicationsDeleted: await DeleteDecidedApplicationsAsync(ct),
        SkillsMapsDeleted: await DeleteAbandonedSkillsMapsAsync(ct),
        BatchRowsWiped: await WipeBatchRowsAsync(ct),
        AuditEntriesDeleted: await DeleteAuditEntriesAsync(ct),
        DataAccessesDeleted: await DeleteExpiredDataAccessesAsync(ct));

    private DateTime Days(int days) => now - TimeSpan.FromDays(days);

    /// <summary>Pending mails queued more than UndeliveredMailDays ago (mail off, or a server away that long) and not being sent now: failed, address wiped.</summary>
    private Task<int> GiveUpMailsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.UndeliveredMailDays);
        var error = $"Given up after {settings.UndeliveredMailDays} days unsent (Retention:UndeliveredMailDays).";
        return Batches(ct, async take =>
        {
            var ids = await db.AwardMails.Where(m => m.Status == MailStatus.Pending && m.CreatedAt < cutoff && (m.LeaseUntil == null || m.LeaseUntil < now))
                .OrderBy(m => m.Id).Select(m => m.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await db.AwardMails
                .Where(m => ids.Contains(m.Id) && m.Status == MailStatus.Pending && m.CreatedAt < cutoff && (m.LeaseUntil == null || m.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MailStatus.Failed).SetProperty(m => m.Address, (string?)null)
                    .SetProperty(m => m.LastError, error).SetProperty(m => m.ClaimToken, (string?)null).SetProperty(m => m.LeaseUntil, (DateTime?)null)
                    .SetProperty(m => m.UpdatedAt, now).SetProperty(m => m.CompletedAt, now), ct));
        });
    }

    /// <summary>A sent or failed mail keeps no address (the mail worker wipes it as it records the outcome; this catches any other path).</summary>
    private Task<int> WipeFinishedMailAddressesAsync(CancellationToken ct) => Batches(ct, async take =>
    {
        var ids = await db.AwardMails.Where(m => m.Status != MailStatus.Pending && m.Address != null).OrderBy(m => m.Id).Select(m => m.Id).Take(take).ToListAsync(ct);
        return (ids.Count, await db.AwardMails.Where(m => ids.Contains(m.Id) && m.Status != MailStatus.Pending && m.Address != null)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Address, (string?)null), ct));
    });

    /// <summary>An award's mail request the outbox never turned into a mail within UndeliveredMailDays.</summary>
    private Task<int> DeleteMailRequestsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.UndeliveredMailDays);
        return Batches(ct, async take =>
        {
            var ids = await db.AwardMailRequests.Where(r => r.CreatedAt < cutoff).OrderBy(r => r.AssertionId).Select(r => r.AssertionId).Take(take).ToListAsync(ct);
            return (ids.Count, await db.AwardMailRequests.Where(r => ids.Contains(r.AssertionId) && r.CreatedAt < cutoff).ExecuteDeleteAsync(ct));
        });
    }

    /// <summary>A claim waiting for review longer than UndeliveredMailDays loses its address: its decision will send no mail.</summary>
    private Task<int> WipeWaitingClaimAddressesAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.UndeliveredMailDays);
        return Batches(ct, async take =>
        {
            var ids = await db.Claims.Where(c => c.Status == ClaimStatus.Pending && c.Address != null && c.CreatedAt < cutoff)
                .OrderBy(c => c.Id).Select(c => c.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await db.Claims.Where(c => ids.Contains(c.Id) && c.Status == ClaimStatus.Pending && c.Address != null && c.CreatedAt < cutoff)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Address, (string?)null), ct));
        });
    }

    /// <summary>A rejected claim, RejectedClaimDays after its decision, with its rejection mail.</summary>
    private Task<int> DeleteRejectedClaimsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.RejectedClaimDays);
        return Batches(ct, async take =>
        {
            var ids = await db.Claims.Where(c => c.Status == ClaimStatus.Rejected && c.DecidedAt < cutoff).OrderBy(c => c.Id).Select(c => c.Id).Take(take).ToListAsync(ct);
            if (ids.Count == 0) { return (0, 0); }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.AwardMails.Where(m => m.ClaimId != null && ids.Contains(m.ClaimId.Value)).ExecuteDeleteAsync(ct);
            var deleted = await db.Claims.Where(c => ids.Contains(c.Id) && c.Status == ClaimStatus.Rejected && c.DecidedAt < cutoff).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            return (ids.Count, deleted);
        });
    }

    /// <summary>A rejected or withdrawn application, RejectedApplicationDays after it ended: its history and mails go with it (ON DELETE CASCADE).</summary>
    private Task<int> DeleteDecidedApplicationsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.RejectedApplicationDays);
        return Batches(ct, async take =>
        {
            var ids = await db.Applications.Where(a => (a.Status == ApplicationStatus.Rejected || a.Status == ApplicationStatus.Withdrawn) && a.DecidedAt < cutoff)
                .OrderBy(a => a.Id).Select(a => a.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await db.Applications
                .Where(a => ids.Contains(a.Id) && (a.Status == ApplicationStatus.Rejected || a.Status == ApplicationStatus.Withdrawn) && a.DecidedAt < cutoff)
                .ExecuteDeleteAsync(ct));
        });
    }

    /// <summary>
    /// A skills map neither opened nor changed for AbandonedSkillsMapDays, with no application changed in
    /// that time: deleted as its owner deletes it (experiences, applications, mails: ON DELETE CASCADE).
    /// The badges it led to stay: they are the issuers' records.
    /// </summary>
    private Task<int> DeleteAbandonedSkillsMapsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.AbandonedSkillsMapDays);
        return Batches(ct, async take =>
        {
            var abandoned = db.SkillsMaps.Where(m => m.LastUsedAt < cutoff && m.UpdatedAt < cutoff
                && !db.Applications.Any(a => a.MapId == m.Id && a.UpdatedAt >= cutoff));
            var ids = await abandoned.OrderBy(m => m.Id).Select(m => m.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await abandoned.Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct));
        });
    }

    /// <summary>A finished bulk award's rows (the recipients' addresses), BatchRowsDays after it finished; the job's counts and refusals stay.</summary>
    private Task<int> WipeBatchRowsAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.BatchRowsDays);
        return Batches(ct, async take =>
        {
            var finished = db.BatchJobs.Where(j => (j.Status == BatchStatus.Completed || j.Status == BatchStatus.Failed) && j.CompletedAt < cutoff && j.RowsJson != WipedRows);
            var ids = await finished.OrderBy(j => j.Id).Select(j => j.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await finished.Where(j => ids.Contains(j.Id)).ExecuteUpdateAsync(s => s.SetProperty(j => j.RowsJson, WipedRows), ct));
        });
    }

    private Task<int> DeleteAuditEntriesAsync(CancellationToken ct)
    {
        var cutoff = Days(settings.AuditDays);
        return Batches(ct, async take =>
        {
            var ids = await db.AuditEntries.Where(e => e.CreatedAt < cutoff).OrderBy(e => e.Id).Select(e => e.Id).Take(take).ToListAsync(ct);
            return (ids.Count, await db.AuditEntries.Where(e => ids.Contains(e.Id) && e.CreatedAt < cutoff).ExecuteDeleteAsync(ct));
        });
    }

    /// <summary>
    /// A volunteer's data links past their expiry (DataRights:LinkLifetime, 24 h): the token's hash and the
    /// lookup key serve nothing any more. Their unsent link mails go with them (ON DELETE CASCADE).
    /// </summary>
    private Task<int> DeleteExpiredDataAccessesAsync(CancellationToken ct) => Batches(ct, async take =>
    {
        var ids = await db.DataAccesses.Where(a => a.ExpiresAt < now).OrderBy(a => a.Id).Select(a => a.Id).Take(take).ToListAsync(ct);
        return (ids.Count, await db.DataAccesses.Where(a => ids.Contains(a.Id) && a.ExpiresAt < now).ExecuteDeleteAsync(ct));
    });

    /// <summary>Runs <paramref name="batch"/> until a batch finds fewer rows than it may take; returns the rows changed.</summary>
    private async Task<int> Batches(CancellationToken ct, Func<int, Task<(int Found, int Changed)>> batch)
    {
        var total = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var (found, changed) = await batch(settings.BatchSize);
            total += changed;
            if (found < settings.BatchSize) { return total; }
        }
    }
}
