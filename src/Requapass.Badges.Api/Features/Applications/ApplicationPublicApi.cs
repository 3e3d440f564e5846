using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Features.Issuance;
using Requapass.Badges.Api.Features.Lookups;
using Requapass.Badges.Api.Features.SkillsMaps;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>
/// The volunteer's side of applications, anonymous: the skills map's capability token in the URL is
/// the proof (SkillsMapTokens). Apply (held to a rate per client address: it writes and mails), list
/// one's applications with their history, answer a request for more, withdraw.
/// </summary>
public static class ApplicationPublicApi
{
    public static RouteGroupBuilder MapApplicationEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/skills-maps/{token}/applications").WithTags("Applications")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("", Apply).WithName("ApplyForBadges").RequireRateLimiting(RateLimits.Applications)
            .WithSummary("Apply to an issuer for one or more of its badge classes, with an experience of the map as evidence (one application per class).")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapGet("", List).WithName("ListMyApplications").WithSummary("The map's applications, newest first, each with its history.");
        group.MapPost("/{applicationId}/answer", Answer).WithName("AnswerApplication").RequireRateLimiting(RateLimits.Applications)
            .WithSummary("Answer a request for more: new words and/or the experience copied again; the application goes back to the review queue.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/{applicationId}/withdraw", Withdraw).WithName("WithdrawApplication").RequireRateLimiting(RateLimits.Applications)
            .WithSummary("Withdraw an application that is not decided yet.")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    public static async Task<Results<Created<VolunteerApplications>, ProblemHttpResult, ValidationProblem>> Apply(
        string token, ApplyRequest r, BadgesDbContext db, ApplicationJournal journal, PublicUrls urls, TimeProvider clock, OutboxSignals signals, Pathways pathways, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        errors.Required("issuerId", r.IssuerId);
        errors.Required("experienceId", r.ExperienceId);
        errors.Required("narrative", r.Narrative);
        var classIds = r.BadgeClassIds ?? [];
        if (classIds.Count == 0) { errors.Add("badgeClassIds", "badgeClassIds is required: the badge classes applied for, one application each."); }
        for (var i = 0; i < classIds.Count; i++)
        {
            if (!PublicIds.LooksValid(classIds[i])) { errors.Add($"badgeClassIds[{i}]", "Not a badge class id."); }
        }
        if (classIds.Distinct(StringComparer.Ordinal).Count() != classIds.Count) { errors.Add("badgeClassIds", "Each badge class once."); }
        if (errors.Any) { return errors.ToProblem(); }

        var map = await SkillsMapTokens.FindAsync(db, token, ct);
        if (map is null) { return Problems.NotFound("skills map"); }
        var issuer = PublicIds.LooksValid(r.IssuerId) ? await Find.Issuer(db, r.IssuerId!, ct) : null;
        if (issuer is null) { return Problems.Unprocessable("application-issuer-unknown", "No issuer has this id."); }
        var classes = await db.BadgeClasses.AsNoTracking().Where(b => classIds.Contains(b.PublicId))
            .Select(b => new { b.Id, b.PublicId, b.IssuerId, Archived = b.ArchivedAt != null }).ToListAsync(ct);
        foreach (var id in classIds)
        {
            var found = classes.SingleOrDefault(b => b.PublicId == id);
            if (found is null || found.Archived)
            {
                return Problems.Unprocessable("application-badge-class-unknown", $"No badge class {id} can be applied for (unknown or archived).");
            }
            if (found.IssuerId != issuer.Id)
            {
                return Problems.Unprocessable("application-badge-class-other-issuer", $"The badge class {id} is not one of the issuer {issuer.PublicId}.");
            }
        }
        var snapshot = await ExperienceEvidence.SnapshotAsync(db, map.Id, r.ExperienceId, ct);
        if (snapshot is null) { return Problems.Unprocessable("application-experience-unknown", "This skills map has no experience with this id."); }

        var now = clock.GetUtcNow().UtcDateTime;
        var open = await db.Applications.AsNoTracking().Where(a => a.MapId == map.Id && (ApplicationStatus.Open.Contains(a.Status) || a.Status == ApplicationStatus.Approved))
            .Select(a => a.BadgeClassId).ToListAsync(ct);
        foreach (var c in classes)
        {
            // Levels in order (Pathways): a strict class at level N+1 is applied for with level N held.
            if (await pathways.MissingAsync(c.Id, map.RecipientLookup, ct) is { } missing) { return missing.Problem(); }
            if (open.Contains(c.Id)) { return Exists(c.PublicId); }
            if (await ApplicationRows.HoldsAsync(db, c.Id, map.RecipientLookup, now, ct))
            {
                return Problems.Conflict("application-badge-held", $"The volunteer already holds the badge {c.PublicId}.");
            }
        }

        var narrative = r.Narrative!.Trim();
        var evidence = ExperienceEvidence.Write(snapshot);
        var queued = false;
        var created = new List<ApplicationEntity>();
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var c in classes)
            {
                var application = new ApplicationEntity
                {
                    PublicId = PublicIds.New(), IssuerId = issuer.Id, BadgeClassId = c.Id, MapId = map.Id, RecipientLookup = map.RecipientLookup,
                    Status = ApplicationStatus.Pending, Narrative = narrative, ExperiencePublicId = snapshot.ExperienceId, EvidenceJson = evidence,
                    Locale = map.Locale, CreatedAt = now, UpdatedAt = now,
                };
                db.Applications.Add(application);
                created.Add(application);
                queued |= journal.Record(db, application, issuer.PublicId, c.PublicId, ApplicationSteps.Submitted, ApplicationSteps.Volunteer, null, map.Address, now);
            }
            map.LastUsedAt = now;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (ProblemExceptionHandler.IsUniqueViolation(e))
        {
            // The same application sent twice at once: the first one is stored, this one is the duplicate.
            return Exists(null);
        }
        if (queued) { signals.MailQueued(); }
        var ids = created.Select(a => a.Id).ToList();
        // No Location: the list's URL holds the capability token, which belongs in the volunteer's mail alone.
        return TypedResults.Created((string?)null, await ViewsAsync(db, urls, ids, ct));
    }

    public static async Task<Results<Ok<VolunteerApplications>, ProblemHttpResult>> List(string token, BadgesDbContext db, PublicUrls urls, CancellationToken ct)
    {
        var map = await SkillsMapTokens.FindAsync(db, token, ct);
        if (map is null) { return Problems.NotFound("skills map"); }
        var ids = await db.Applications.AsNoTracking().Where(a => a.MapId == map.Id).Select(a => a.Id).ToListAsync(ct);
        return TypedResults.Ok(await ViewsAsync(db, urls, ids, ct));
    }

    public static async Task<Results<Ok<VolunteerApplicationView>, ProblemHttpResult, ValidationProblem>> Answer(
        string token, string applicationId, ApplicationAnswerRequest r, BadgesDbContext db, ApplicationJournal journal, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var (map, row) = await MineAsync(db, token, applicationId, ct);
        if (map is null || row is null) { return Problems.NotFound(map is null ? "skills map" : "application"); }
        if (r.Narrative is not null && string.IsNullOrWhiteSpace(r.Narrative)) { return Problems.Invalid("narrative", "narrative, when given, cannot be blank."); }
        if (row.Entity.Status != ApplicationStatus.InfoRequested) { return NotAsked(); }
        // The experience is copied again as it is now: the one named, or the one first sent.
        var snapshot = await ExperienceEvidence.SnapshotAsync(db, map.Id, r.ExperienceId ?? row.Entity.ExperiencePublicId, ct);
        if (snapshot is null) { return Problems.Unprocessable("application-experience-unknown", "This skills map has no experience with this id."); }
        var narrative = r.Narrative?.Trim() ?? row.Entity.Narrative;
        var evidence = ExperienceEvidence.Write(snapshot);
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Applications.Where(a => a.Id == row.Entity.Id && a.Status == ApplicationStatus.InfoRequested).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, ApplicationStatus.Pending).SetProperty(a => a.Narrative, narrative).SetProperty(a => a.EvidenceJson, evidence)
                .SetProperty(a => a.ExperiencePublicId, snapshot.ExperienceId).SetProperty(a => a.UpdatedAt, now), ct) != 1)
            {
                await tx.RollbackAsync(ct);
                return NotAsked();
            }
            row.Entity.Status = ApplicationStatus.Pending;
            journal.Record(db, row.Entity, row.IssuerPublicId, row.BadgeClassPublicId, ApplicationSteps.Resubmitted, ApplicationSteps.Volunteer, null, null, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok((await ViewsAsync(db, urls, [row.Entity.Id], ct)).Items.Single());
    }

    public static async Task<Results<Ok<VolunteerApplicationView>, ProblemHttpResult>> Withdraw(
        string token, string applicationId, BadgesDbContext db, ApplicationJournal journal, PublicUrls urls, TimeProvider clock, CancellationToken ct)
    {
        var (map, row) = await MineAsync(db, token, applicationId, ct);
        if (map is null || row is null) { return Problems.NotFound(map is null ? "skills map" : "application"); }
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (await db.Applications.Where(a => a.Id == row.Entity.Id && ApplicationStatus.Open.Contains(a.Status)).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Status, ApplicationStatus.Withdrawn).SetProperty(a => a.DecidedAt, now).SetProperty(a => a.UpdatedAt, now), ct) != 1)
            {
                await tx.RollbackAsync(ct);
                return ApplicationReviewApi.Decided();
            }
            row.Entity.Status = ApplicationStatus.Withdrawn;
            journal.Record(db, row.Entity, row.IssuerPublicId, row.BadgeClassPublicId, ApplicationSteps.Withdrawn, ApplicationSteps.Volunteer, null, null, now);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return TypedResults.Ok((await ViewsAsync(db, urls, [row.Entity.Id], ct)).Items.Single());
    }

    /// <summary>The map a token opens, and its application <paramref name="applicationId"/> (another map's is not found).</summary>
    private static async Task<(SkillsMapEntity? Map, ApplicationRow? Row)> MineAsync(BadgesDbContext db, string token, string applicationId, CancellationToken ct)
    {
        var map = await SkillsMapTokens.FindAsync(db, token, ct);
        if (map is null || !PublicIds.LooksValid(applicationId)) { return (map, null); }
        return (map, await ApplicationRows.OneAsync(db, a => a.PublicId == applicationId && a.MapId == map.Id, ct));
    }

    private static async Task<VolunteerApplications> ViewsAsync(BadgesDbContext db, PublicUrls urls, IReadOnlyCollection<long> ids, CancellationToken ct)
    {
        var rows = (await ApplicationRows.Query(db, db.Applications.AsNoTracking().Where(a => ids.Contains(a.Id))).ToListAsync(ct))
            .OrderByDescending(r => r.Entity.Id).ToList();
        var histories = await ApplicationRows.HistoriesAsync(db, ids, ct);
        return new VolunteerApplications([.. rows.Select(r => ApplicationRows.VolunteerView(r, histories[r.Entity.Id], urls))]);
    }

    private static ProblemHttpResult Exists(string? badgeClassId) => Problems.Conflict("application-exists",
        $"This map already has an application for {(badgeClassId is null ? "this badge" : "the badge " + badgeClassId)} that is waiting or approved.");

    private static ProblemHttpResult NotAsked() =>
        Problems.Conflict("application-not-waiting-for-answer", "This application is not waiting for more from the volunteer.");
}
