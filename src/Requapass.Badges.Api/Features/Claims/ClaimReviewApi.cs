using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Audit;
using Microsoft.Extensions.Options;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Api.Options;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Claims;

/// <summary>
/// The review queue of campaigns with <c>review: true</c>. A decision is taken once: the claim's status
/// changes on condition that it is still pending, in the transaction that awards (through the issuance
/// core, whose award mail then goes out) or queues the rejection mail; either way the claim's clear
/// address leaves the claim in that same transaction.
/// </summary>
public static class ClaimReviewApi
{
    public static RouteGroupBuilder MapClaimReviewEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Claim codes")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/issuers/{issuerId}/claims", List).WithName("ListClaims")
            .WithSummary("List an issuer's claims, newest first: status=pending for the review queue; campaign= for one campaign.");
        group.MapPost("/claims/{claimId}/approve", Approve).WithName("ApproveClaim")
            .WithSummary("Approve a pending claim: the badge is awarded and its email sent.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/claims/{claimId}/reject", Reject).WithName("RejectClaim")
            .WithSummary("Reject a pending claim with a comment, which the volunteer receives by email.").ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Results<Ok<ClaimViewPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? status, string? campaign, string? cursor, int? limit, BadgesDbContext db, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var size = limit ?? 50;
        long? after = cursor is null ? null : Cursors.Decode(cursor);
        var errors = new ValidationErrors();
        if (size is < 1 or > 200) { errors.Add("limit", "limit must be between 1 and 200."); }
        if (cursor is not null && after is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        if (status is not (null or ClaimStatus.Pending or ClaimStatus.Awarded or ClaimStatus.Rejected)) { errors.Add("status", "status must be pending, awarded or rejected."); }
        if (errors.Any) { return errors.ToProblem(); }
        var query = db.Claims.AsNoTracking().Where(c => c.IssuerId == issuer.Id);
        if (status is not null) { query = query.Where(c => c.Status == status); }
        if (campaign is not null) { query = query.Where(c => db.ClaimCampaigns.Any(k => k.Id == c.CampaignId && k.PublicId == campaign)); }
        if (after is not null) { query = query.Where(c => c.Id < after); }
        var rows = await (
            from c in query
            join k in db.ClaimCampaigns on c.CampaignId equals k.Id
            join b in db.BadgeClasses on k.BadgeClassId equals b.Id
            orderby c.Id descending
            select new { c.Id, View = new ClaimView(c.PublicId, k.PublicId, b.PublicId, c.Status, c.Narrative, c.Locale,
                c.Assertion == null ? null : c.Assertion.PublicId, c.ReviewComment, c.CreatedAt, c.DecidedAt) })
            .Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(new ClaimViewPage([.. rows.Take(size).Select(r => r.View)], rows.Count > size ? Cursors.Encode(rows[size - 1].Id) : null));
    }

    public static async Task<Results<Ok<ClaimView>, ProblemHttpResult>> Approve(
        string claimId, Addressed addressed, BadgesDbContext db, ClaimAwards awards, TimeProvider clock, Telemetry.BadgeMetrics metrics,
        Pathways pathways, AuditTrail audit, CancellationToken ct)
    {
        var pending = await PendingAsync(claimId, addressed, db, ct);
        if (pending.Problem is { } problem) { return problem; }
        var (claim, target) = (pending.Claim!, pending.Target!);
        if (pending.Archived)
        {
            return Problems.Conflict("badge-class-archived", "The badge class is archived and can no longer be awarded; reject the claim instead.");
        }
        var (recipient, _) = RecipientNormalizer.Normalize(RecipientType.Email, claim.Address);
        if (recipient is null) { return Problems.Conflict("claim-without-address", "This claim no longer holds an address to award the badge to."); }
        // Levels in order: checked at approval (Pathways), with the level as it is held now.
        if (await pathways.MissingAsync(target.BadgeClassId, recipient.LookupKey(), ct) is { } missing) { return missing.Problem(); }
        var now = clock.GetUtcNow();
        var assertion = await awards.BuildAsync(target, recipient, claim.Narrative, claim.Locale, now, ct);
        if (assertion is null)
        {
            return Problems.Conflict("no-signing-key", "The issuer's current signing key is not loaded in this service. Configure its PEM file or rotate the issuer's key.");
        }
        var at = now.UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await DecideAsync(db, claim.Id, ClaimStatus.Awarded, null, at, ct))
            {
                await tx.RollbackAsync(ct);
                return Decided();
            }
            awards.Stage(db, target, assertion, recipient, claim.Locale, now);
            await db.SaveChangesAsync(ct);
            await db.Claims.Where(c => c.Id == claim.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.AssertionId, assertion.Id), ct);
            claim.Status = ClaimStatus.Awarded;
            db.OutboxEvents.Add(ClaimEvents.New(EventTypes.ClaimApproved, claim, target, assertion.PublicId, at));
            audit.Record(AuditAction.ClaimApproved, new(AuditTargets.Claim, claim.PublicId, claim.IssuerId));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        metrics.Awarded(assertion.VerificationType, Telemetry.AwardSource.Single);
        return TypedResults.Ok(await ViewAsync(db, claim.Id, ct));
    }

    public static async Task<Results<Ok<ClaimView>, ProblemHttpResult, ValidationProblem>> Reject(
        string claimId, RejectClaimRequest request, Addressed addressed, BadgesDbContext db, PublicUrls urls, TimeProvider clock,
        IOptions<MailOptions> mail, OutboxSignals signals, AuditTrail audit, CancellationToken ct)
    {
        var pending = await PendingAsync(claimId, addressed, db, ct);
        if (pending.Problem is { } problem) { return problem; }
        var comment = request.Comment?.Trim();
        if (string.IsNullOrEmpty(comment)) { return Problems.Invalid("comment", "comment is required: it tells the volunteer why."); }
        var (claim, target) = (pending.Claim!, pending.Target!);
        var at = clock.GetUtcNow().UtcDateTime;
        var queued = false;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await DecideAsync(db, claim.Id, ClaimStatus.Rejected, comment, at, ct))
            {
                await tx.RollbackAsync(ct);
                return Decided();
            }
            // The address moves from the claim into the mail, which drops it once sent or abandoned.
            if (mail.Value.Enabled && claim.Address is not null)
            {
                var rejection = MailQueue.NewMail(null, claim.IssuerId, null, claim.Address, claim.Locale, new Uri(urls.Base).Host, at, MailKinds.ClaimRejected);
                rejection.ClaimId = claim.Id;
                db.AwardMails.Add(rejection);
                queued = true;
            }
            claim.Status = ClaimStatus.Rejected;
            db.OutboxEvents.Add(ClaimEvents.New(EventTypes.ClaimRejected, claim, target, null, at));
            audit.Record(AuditAction.ClaimRejected, new(AuditTargets.Claim, claim.PublicId, claim.IssuerId));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (queued) { signals.MailQueued(); }
        return TypedResults.Ok(await ViewAsync(db, claim.Id, ct));
    }

    private sealed record Pending(ClaimEntity? Claim, ClaimTarget? Target, ProblemHttpResult? Problem, bool Archived = false);

    private static async Task<Pending> PendingAsync(string claimId, Addressed addressed, BadgesDbContext db, CancellationToken ct)
    {
        var found = await addressed.Claim(claimId, ct);
        if (found is null) { return new(null, null, Problems.NotFound("claim")); }
        var row = await (
            from c in db.Claims.AsNoTracking()
            where c.Id == found.Id
            join k in db.ClaimCampaigns on c.CampaignId equals k.Id
            join b in db.BadgeClasses on k.BadgeClassId equals b.Id
            join i in db.Issuers on k.IssuerId equals i.Id
            select new { Claim = c, Target = new ClaimTarget(k.Id, k.PublicId, b.Id, b.PublicId, i.Id, i.PublicId, i.DefaultVerification, i.DefaultLocale, k.DefaultLocale), Archived = b.ArchivedAt != null })
            .SingleAsync(ct);
        if (row.Claim.Status != ClaimStatus.Pending) { return new(null, null, Decided(), false); }
        return new(row.Claim, row.Target, null, row.Archived);
    }

    /// <summary>Pending to <paramref name="status"/>, once: false when another decision came first. The address leaves the claim.</summary>
    private static async Task<bool> DecideAsync(BadgesDbContext db, long claimId, string status, string? comment, DateTime at, CancellationToken ct) =>
        await db.Claims.Where(c => c.Id == claimId && c.Status == ClaimStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Status, status).SetProperty(c => c.ReviewComment, comment).SetProperty(c => c.Address, (string?)null)
            .SetProperty(c => c.DecidedAt, at).SetProperty(c => c.UpdatedAt, at), ct) == 1;

    private static ProblemHttpResult Decided() => Problems.Conflict("claim-decided", "This claim was already approved or rejected.");

    private static Task<ClaimView> ViewAsync(BadgesDbContext db, long id, CancellationToken ct) => (
        from c in db.Claims.AsNoTracking()
        where c.Id == id
        join k in db.ClaimCampaigns on c.CampaignId equals k.Id
        join b in db.BadgeClasses on k.BadgeClassId equals b.Id
        select new ClaimView(c.PublicId, k.PublicId, b.PublicId, c.Status, c.Narrative, c.Locale,
            c.Assertion == null ? null : c.Assertion.PublicId, c.ReviewComment, c.CreatedAt, c.DecidedAt)).SingleAsync(ct);
}
