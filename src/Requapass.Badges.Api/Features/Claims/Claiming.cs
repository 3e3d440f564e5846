using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>Why a claim was refused; each has its problem type and its sentence on the claim page.</summary>
public enum ClaimRefusal { Invalid, UnknownCode, NotStarted, Ended, Closed, Exhausted, CodeUsed, Domain, NoSigningKey, LevelRequired }

/// <summary>A claim's answer: the claim (new or found again), or why not.</summary>
public sealed record ClaimOutcome(ClaimResponse? Claim, bool Created, ClaimRefusal? Refusal, IReadOnlyDictionary<string, string[]>? Errors = null, MissingLevel? Missing = null);

/// <summary>
/// The one way a volunteer claims a badge, for the JSON route and the page's form alike. The code is
/// found by its hash; until it is found, every wrong code is the same "no such code" (the code is the
/// secret, so only its holder learns that a campaign ended, is full or closed). An address that already
/// claimed in the campaign gets its claim back (awarded, pending or rejected), before any other check.
/// A new claim is one transaction: the single-use code is marked used on condition it was not, the
/// campaign's count raised on condition it is below the maximum and the campaign not closed, then the
/// claim with its award (assertion, assertion.awarded, mail request) or, under review, with the address
/// for the decision's mail and claim.received. Any refusal rolls all of it back.
/// </summary>
public sealed class Claiming(BadgesDbContext db, ClaimCodes codes, ClaimAwards awards, PublicUrls urls, TimeProvider clock, Telemetry.BadgeMetrics metrics, Pathways pathways)
{
    public async Task<ClaimOutcome> ClaimAsync(ClaimRequest r, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        InputRules.Check(r, errors);
        errors.Required("code", r.Code);
        errors.Required("email", r.Email);
        var (recipient, emailError) = string.IsNullOrWhiteSpace(r.Email) ? (null, null) : RecipientNormalizer.Normalize(RecipientType.Email, r.Email);
        if (emailError is not null) { errors.Add("email", emailError); }
        if (r.Locale is not null && Mail.MailLanguages.Parse(r.Locale) is null) { errors.Add("locale", "locale must be fr, nl or en."); }
        if (errors.Any) { return new ClaimOutcome(null, false, ClaimRefusal.Invalid, errors.ToDictionary()); }

        var normalized = ClaimCodes.Normalize(r.Code);
        // A code of the wrong shape is looked up all the same (a hash of junk): no shortcut tells it apart.
        var hash = codes.Hash(normalized ?? "-" + r.Code);
        var found = await (
            from code in db.ClaimCodes.AsNoTracking()
            where code.CodeHash == hash
            join c in db.ClaimCampaigns.AsNoTracking() on code.CampaignId equals c.Id
            join b in db.BadgeClasses.AsNoTracking() on c.BadgeClassId equals b.Id
            join i in db.Issuers.AsNoTracking() on c.IssuerId equals i.Id
            select new { Code = code, Campaign = c, BadgeClassPublicId = b.PublicId, Archived = b.ArchivedAt != null, IssuerPublicId = i.PublicId, i.DefaultVerification, i.DefaultLocale })
            .SingleOrDefaultAsync(ct);
        if (found is null || normalized is null) { return Refused(ClaimRefusal.UnknownCode); }
        var campaign = found.Campaign;
        var target = new ClaimTarget(campaign.Id, campaign.PublicId, campaign.BadgeClassId, found.BadgeClassPublicId, campaign.IssuerId,
            found.IssuerPublicId, found.DefaultVerification, found.DefaultLocale, campaign.DefaultLocale);
        var lookup = recipient!.LookupKey();
        if (await ExistingAsync(target, lookup, ct) is { } earlier) { return earlier; }

        var now = clock.GetUtcNow();
        var refusal = campaign.ClosedAt is not null || found.Archived ? ClaimRefusal.Closed
            : now.UtcDateTime < campaign.StartsAt ? ClaimRefusal.NotStarted
            : now.UtcDateTime >= campaign.EndsAt ? ClaimRefusal.Ended
            : !DomainAllowed(recipient, campaign) ? ClaimRefusal.Domain
            : found.Code.UsedAt is not null ? ClaimRefusal.CodeUsed
            : campaign.ClaimCount >= campaign.MaxClaims ? ClaimRefusal.Exhausted
            : (ClaimRefusal?)null;
        if (refusal is not null) { return Refused(refusal.Value); }
        // Levels in order: a claim awarded at once meets the rule here; one under review, at its approval.
        if (!campaign.Review && await pathways.MissingAsync(campaign.BadgeClassId, lookup, ct) is { } missing)
        {
            return new ClaimOutcome(null, false, ClaimRefusal.LevelRequired, Missing: missing);
        }

        var locale = ClaimAwards.Locale(r.Locale, target);
        var narrative = string.IsNullOrWhiteSpace(r.Narrative) ? null : r.Narrative.Trim();
        // Built (and signed) before the transaction: the write lock is held for the writes alone.
        var assertion = campaign.Review ? null : await awards.BuildAsync(target, recipient, narrative, locale, now, ct);
        if (!campaign.Review && assertion is null) { return Refused(ClaimRefusal.NoSigningKey); }
        var claim = new ClaimEntity
        {
            PublicId = PublicIds.New(), CampaignId = campaign.Id, IssuerId = campaign.IssuerId,
            CodeId = campaign.Kind == CampaignKinds.SingleUse ? found.Code.Id : null, RecipientLookup = lookup,
            Status = campaign.Review ? ClaimStatus.Pending : ClaimStatus.Awarded, Narrative = narrative, Locale = locale,
            // Under review, the address waits for the decision (the award needs it to hash the recipient; the mail to reach them).
            Address = campaign.Review ? recipient.Normalized : null,
            Assertion = assertion, CreatedAt = now.UtcDateTime, UpdatedAt = now.UtcDateTime, DecidedAt = campaign.Review ? null : now.UtcDateTime,
        };
        var at = now.UtcDateTime;
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (claim.CodeId is { } codeId
                && await db.ClaimCodes.Where(c => c.Id == codeId && c.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(c => c.UsedAt, at), ct) == 0)
            {
                await tx.RollbackAsync(ct);
                return await ExistingAsync(target, lookup, ct) ?? Refused(ClaimRefusal.CodeUsed);
            }
            if (await db.ClaimCampaigns.Where(c => c.Id == campaign.Id && c.ClosedAt == null && c.ClaimCount < c.MaxClaims)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ClaimCount, c => c.ClaimCount + 1).SetProperty(c => c.UpdatedAt, at), ct) == 0)
            {
                await tx.RollbackAsync(ct);
                var closed = await db.ClaimCampaigns.AsNoTracking().AnyAsync(c => c.Id == campaign.Id && c.ClosedAt != null, ct);
                return await ExistingAsync(target, lookup, ct) ?? Refused(closed ? ClaimRefusal.Closed : ClaimRefusal.Exhausted);
            }
            db.Claims.Add(claim);
            if (assertion is not null) { awards.Stage(db, target, assertion, recipient, locale, now); }
            else { db.OutboxEvents.Add(ClaimEvents.New(EventTypes.ClaimReceived, claim, target, null, at)); }
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            // The same address claimed at the same moment, and its claim was stored first: this is that claim.
            db.ChangeTracker.Clear();
            return await ExistingAsync(target, lookup, ct) ?? throw new InvalidOperationException("A claim's unique key was taken, yet no claim holds it.", e);
        }
        if (assertion is not null) { metrics.Awarded(assertion.VerificationType, Telemetry.AwardSource.Single); }
        return new ClaimOutcome(Response(claim.PublicId, claim.Status, target, assertion?.PublicId, replayed: false), true, null);
    }

    private async Task<ClaimOutcome?> ExistingAsync(ClaimTarget target, string lookup, CancellationToken ct)
    {
        var row = await db.Claims.AsNoTracking().Where(c => c.CampaignId == target.CampaignId && c.RecipientLookup == lookup)
            .Select(c => new { c.PublicId, c.Status, AssertionPublicId = c.Assertion == null ? null : c.Assertion.PublicId })
            .SingleOrDefaultAsync(ct);
        return row is null ? null : new ClaimOutcome(Response(row.PublicId, row.Status, target, row.AssertionPublicId, replayed: true), false, null);
    }

    private ClaimResponse Response(string claimId, string status, ClaimTarget target, string? assertionId, bool replayed) =>
        new(claimId, status, target.CampaignPublicId, target.BadgeClassPublicId, assertionId, assertionId is null ? null : urls.Assertion(assertionId), replayed);

    private static ClaimOutcome Refused(ClaimRefusal refusal) => new(null, false, refusal);

    private static bool DomainAllowed(RecipientIdentity recipient, ClaimCampaignEntity campaign)
    {
        var allowed = CampaignResponses.Domains(campaign.AllowedDomainsJson);
        if (allowed.Count == 0) { return true; }
        var at = recipient.Normalized.LastIndexOf('@');
        return at > 0 && CampaignRules.Domain(recipient.Normalized[(at + 1)..]) is { } domain && allowed.Contains(domain);
    }
}

/// <summary>The claim.* events: public ids and the claim's status, never the volunteer's address.</summary>
public static class ClaimEvents
{
    public static OutboxEventEntity New(string type, ClaimEntity claim, ClaimTarget target, string? assertionId, DateTime at) =>
        Outbox.New(type, target.IssuerId, claim.PublicId, new
        {
            claimId = claim.PublicId, campaignId = target.CampaignPublicId, badgeClassId = target.BadgeClassPublicId,
            issuerId = target.IssuerPublicId, status = claim.Status, assertionId,
        }, at);
}
