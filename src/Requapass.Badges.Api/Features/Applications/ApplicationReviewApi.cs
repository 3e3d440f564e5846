using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.Recipients;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>
/// The association's review of applications (management API, issuer-scoped by applicationId). Each
/// decision changes the status on condition that it is still open, in the transaction that writes
/// its history row, its mail and its event, and for an approval the award through the issuance core
/// (ReviewedAwards: the assertion with the experience as evidence, assertion.awarded, the award mail):
/// of two decisions at once, exactly one wins; the other gets 409.
/// </summary>
public static class ApplicationReviewApi
{
    public static RouteGroupBuilder MapApplicationReviewEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("").WithTags("Applications")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/issuers/{issuerId}/applications", List).WithName("ListApplications")
            .WithSummary("The review queue: an issuer's applications, newest first; filter by badgeClass, status, and creation time (from, to).");
        group.MapGet("/applications/{applicationId}", Get).WithName("GetApplication")
            .WithSummary("One application, with the experience as sent and its whole history (who, when, what).");
        group.MapPost("/applications/{applicationId}/approve", Approve).WithName("ApproveApplication")
            .WithSummary("Approve: the badge is awarded with the experience as evidence and the narrative kept, and its email sent.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/applications/{applicationId}/request-info", RequestInfo).WithName("RequestApplicationInfo")
            .WithSummary("Ask the volunteer for more (the message is mailed to them); the application waits for their answer.").ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/applications/{applicationId}/reject", Reject).WithName("RejectApplication")
            .WithSummary("Reject, with a reason the volunteer receives by email.").ProducesProblem(StatusCodes.Status409Conflict);
        return group;
    }

    public static async Task<Results<Ok<ApplicationViewPage>, ProblemHttpResult, ValidationProblem>> List(
        string issuerId, string? badgeClass, string? status, DateTimeOffset? from, DateTimeOffset? to, string? cursor, int? limit,
        BadgesDbContext db, CancellationToken ct)
    {
        var issuer = await Find.Issuer(db, issuerId, ct);
        if (issuer is null) { return Problems.NotFound("issuer"); }
        var size = limit ?? 50;
        long? after = cursor is null ? null : Cursors.Decode(cursor);
        var errors = new ValidationErrors();
        if (size is < 1 or > 200) { errors.Add("limit", "limit must be between 1 and 200."); }
        if (cursor is not null && after is null) { errors.Add("cursor", "cursor is not one this service returned."); }
        if (status is not null && !ApplicationStatus.All.Contains(status)) { errors.Add("status", $"status must be one of {string.Join(", ", ApplicationStatus.All)}."); }
        if (badgeClass is not null && !PublicIds.LooksValid(badgeClass)) { errors.Add("badgeClass", "Not a badge class id."); }
        if (from is not null && to is not null && to < from) { errors.Add("to", "to must not be before from."); }
        if (errors.Any) { return errors.ToProblem(); }
        var query = db.Applications.AsNoTracking().Where(a => a.IssuerId == issuer.Id);
        if (status is not null) { query = query.Where(a => a.Status == status); }
        if (badgeClass is not null) { query = query.Where(a => db.BadgeClasses.Any(b => b.Id == a.BadgeClassId && b.PublicId == badgeClass)); }
        if (from is { } f) { var at = f.UtcDateTime; query = query.Where(a => a.CreatedAt >= at); }
        if (to is { } t) { var at = t.UtcDateTime; query = query.Where(a => a.CreatedAt < at); }
        if (after is not null) { query = query.Where(a => a.Id < after); }
        var rows = (await ApplicationRows.Query(db, query.OrderByDescending(a => a.Id).Take(size + 1)).ToListAsync(ct))
            .OrderByDescending(r => r.Entity.Id).ToList();
        return TypedResults.Ok(new ApplicationViewPage([.. rows.Take(size).Select(r => ApplicationRows.StaffView(r, null))],
            rows.Count > size ? Cursors.Encode(rows[size - 1].Entity.Id) : null));
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Get(string applicationId, Addressed addressed, BadgesDbContext db, CancellationToken ct)
    {
        var found = await addressed.Application(applicationId, ct);
        return found is null ? Problems.NotFound("application") : TypedResults.Ok(await ViewAsync(db, found.Id, ct));
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Approve(
        string applicationId, ApproveApplicationRequest? request, Addressed addressed, BadgesDbContext db, ReviewedAwards awards, ApplicationJournal journal,
        HttpContext http, TimeProvider clock, Telemetry.BadgeMetrics metrics, Pathways pathways, Core.Catalogue.RectecCatalogue catalogue, CancellationToken ct)
    {
        var open = await OpenAsync(applicationId, addressed, db, ct);
        if (open.Problem is { } problem) { return problem; }
        var (row, target) = (open.Row!, open.Target!);
        var application = row.Entity;
        if (open.Archived) { return Problems.Conflict("badge-class-archived", "The badge class is archived and can no longer be awarded; reject the application instead."); }
        var address = await db.SkillsMaps.AsNoTracking().Where(m => m.Id == application.MapId).Select(m => m.Address).SingleAsync(ct);
        var (recipient, _) = RecipientNormalizer.Normalize(RecipientType.Email, address);
        if (recipient is null) { return Problems.Conflict("application-without-address", "The skills map of this application holds no address to award the badge to."); }
        var now = clock.GetUtcNow();
        // Levels in order, again at approval: the level below may have been revoked since the volunteer applied.
        if (await pathways.MissingAsync(application.BadgeClassId, recipient.LookupKey(), ct) is { } missing) { return missing.Problem(); }
        if (await ApplicationRows.HoldsAsync(db, application.BadgeClassId, recipient.LookupKey(), now.UtcDateTime, ct))
        {
            return Problems.Conflict("application-badge-held", "The volunteer already holds this badge; reject or leave the application.");
        }
        var evidence = ExperienceEvidence.ToEvidence(ExperienceEvidence.Read(application.EvidenceJson), application.Locale, catalogue);
        var assertion = await awards.BuildAsync(target, recipient, application.Narrative, [evidence], application.Locale, now, ct);
        if (assertion is null)
        {
            return Problems.Conflict("no-signing-key", "The issuer's current signing key is not loaded in this service. Configure its PEM file or rotate the issuer's key.");
        }
        var at = now.UtcDateTime;
        var comment = string.IsNullOrWhiteSpace(request?.Comment) ? null : request.Comment.Trim();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await DecideAsync(db, application.Id, ApplicationStatus.Approved, at, ct))
            {
                await tx.RollbackAsync(ct);
                return Decided();
            }
            awards.Stage(db, target, assertion, recipient, application.Locale, now);
            await db.SaveChangesAsync(ct);
            await db.Applications.Where(a => a.Id == application.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.AssertionId, assertion.Id), ct);
            application.Status = ApplicationStatus.Approved;
            journal.Record(db, application, row.IssuerPublicId, row.BadgeClassPublicId, ApplicationSteps.Approved, http.Caller().ClientId, comment, null, at, assertion.PublicId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        metrics.Awarded(assertion.VerificationType, Telemetry.AwardSource.Single);
        return TypedResults.Ok(await ViewAsync(db, application.Id, ct));
    }

    public static Task<Results<Ok<ApplicationView>, ProblemHttpResult, ValidationProblem>> RequestInfo(
        string applicationId, RequestInfoRequest request, Addressed addressed, BadgesDbContext db, ApplicationJournal journal, HttpContext http,
        TimeProvider clock, OutboxSignals signals, CancellationToken ct) =>
        StepAsync(applicationId, request.Message, "message", ApplicationStatus.InfoRequested, ApplicationSteps.InfoRequested, [ApplicationStatus.Pending],
            addressed, db, journal, http, clock, signals, ct);

    public static Task<Results<Ok<ApplicationView>, ProblemHttpResult, ValidationProblem>> Reject(
        string applicationId, RejectApplicationRequest request, Addressed addressed, BadgesDbContext db, ApplicationJournal journal, HttpContext http,
        TimeProvider clock, OutboxSignals signals, CancellationToken ct) =>
        StepAsync(applicationId, request.Reason, "reason", ApplicationStatus.Rejected, ApplicationSteps.Rejected, ApplicationStatus.Open,
            addressed, db, journal, http, clock, signals, ct);

    /// <summary>A step with a required message for the volunteer, and its mail: from one of <paramref name="fromStatuses"/> to <paramref name="status"/>, once.</summary>
    private static async Task<Results<Ok<ApplicationView>, ProblemHttpResult, ValidationProblem>> StepAsync(
        string applicationId, string? text, string field, string status, string step, string[] fromStatuses, Addressed addressed, BadgesDbContext db,
        ApplicationJournal journal, HttpContext http, TimeProvider clock, OutboxSignals signals, CancellationToken ct)
    {
        var open = await OpenAsync(applicationId, addressed, db, ct);
        if (open.Problem is { } problem) { return problem; }
        var message = text?.Trim();
        if (string.IsNullOrEmpty(message)) { return Problems.Invalid(field, $"{field} is required: it is mailed to the volunteer."); }
        var (row, application) = (open.Row!, open.Row!.Entity);
        if (!fromStatuses.Contains(application.Status)) { return Decided(); }
        var address = await db.SkillsMaps.AsNoTracking().Where(m => m.Id == application.MapId).Select(m => m.Address).SingleAsync(ct);
        var at = clock.GetUtcNow().UtcDateTime;
        bool queued;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var decided = status == ApplicationStatus.Rejected ? at : (DateTime?)null;
            if (await db.Applications.Where(a => a.Id == application.Id && fromStatuses.Contains(a.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, status).SetProperty(a => a.DecidedAt, decided).SetProperty(a => a.UpdatedAt, at), ct) != 1)
            {
                await tx.RollbackAsync(ct);
                return Decided();
            }
            application.Status = status;
            queued = journal.Record(db, application, row.IssuerPublicId, row.BadgeClassPublicId, step, http.Caller().ClientId, message, address, at);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (queued) { signals.MailQueued(); }
        return TypedResults.Ok(await ViewAsync(db, application.Id, ct));
    }

    private sealed record Open(ApplicationRow? Row, AwardTarget? Target, ProblemHttpResult? Problem, bool Archived = false);

    private static async Task<Open> OpenAsync(string applicationId, Addressed addressed, BadgesDbContext db, CancellationToken ct)
    {
        var found = await addressed.Application(applicationId, ct);
        if (found is null) { return new(null, null, Problems.NotFound("application")); }
        var row = (await ApplicationRows.OneAsync(db, a => a.Id == found.Id, ct))!;
        if (!ApplicationStatus.Open.Contains(row.Entity.Status)) { return new(null, null, Decided()); }
        var target = await (
            from b in db.BadgeClasses.AsNoTracking()
            where b.Id == row.Entity.BadgeClassId
            join i in db.Issuers on b.IssuerId equals i.Id
            select new { Target = new AwardTarget(b.Id, b.PublicId, i.Id, i.PublicId, i.DefaultVerification, i.DefaultLocale), Archived = b.ArchivedAt != null })
            .SingleAsync(ct);
        return new(row, target.Target, null, target.Archived);
    }

    /// <summary>Open to <paramref name="status"/>, once: false when another decision came first.</summary>
    private static async Task<bool> DecideAsync(BadgesDbContext db, long id, string status, DateTime at, CancellationToken ct) =>
        await db.Applications.Where(a => a.Id == id && ApplicationStatus.Open.Contains(a.Status)).ExecuteUpdateAsync(s => s
            .SetProperty(a => a.Status, status).SetProperty(a => a.DecidedAt, at).SetProperty(a => a.UpdatedAt, at), ct) == 1;

    internal static ProblemHttpResult Decided() =>
        Problems.Conflict("application-decided", "This application's status does not allow this step (already decided, withdrawn, or waiting for the volunteer).");

    private static async Task<ApplicationView> ViewAsync(BadgesDbContext db, long id, CancellationToken ct)
    {
        var row = (await ApplicationRows.OneAsync(db, a => a.Id == id, ct))!;
        return ApplicationRows.StaffView(row, (await ApplicationRows.HistoriesAsync(db, [id], ct))[id]);
    }
}
