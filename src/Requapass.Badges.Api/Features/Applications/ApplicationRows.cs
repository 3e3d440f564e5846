using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Applications;

/// <summary>An application with the public ids of its issuer and class.</summary>
public sealed record ApplicationRow(ApplicationEntity Entity, string IssuerPublicId, string BadgeClassPublicId, string? AssertionPublicId);

/// <summary>The reads both audiences share: applications with their public ids, and their histories.</summary>
public static class ApplicationRows
{
    /// <summary>
    /// The rows of <paramref name="source"/> (filtered, ordered and limited on the entity: a filter on the
    /// projected record does not translate); the order is not kept, sort the list read.
    /// </summary>
    public static IQueryable<ApplicationRow> Query(BadgesDbContext db, IQueryable<ApplicationEntity> source) =>
        from a in source
        join i in db.Issuers on a.IssuerId equals i.Id
        join b in db.BadgeClasses on a.BadgeClassId equals b.Id
        select new ApplicationRow(a, i.PublicId, b.PublicId, a.Assertion == null ? null : a.Assertion.PublicId);

    /// <summary>The histories of <paramref name="ids"/>, oldest step first.</summary>
    public static async Task<ApplicationRow?> OneAsync(BadgesDbContext db, Expression<Func<ApplicationEntity, bool>> which, CancellationToken ct) =>
        await Query(db, db.Applications.AsNoTracking().Where(which)).SingleOrDefaultAsync(ct);

    public static async Task<ILookup<long, ApplicationEventEntity>> HistoriesAsync(BadgesDbContext db, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        (await db.ApplicationEvents.AsNoTracking().Where(e => ids.Contains(e.ApplicationId)).OrderBy(e => e.Id).ToListAsync(ct))
            .ToLookup(e => e.ApplicationId);

    public static ApplicationView StaffView(ApplicationRow r, IEnumerable<ApplicationEventEntity>? history) =>
        new(r.Entity.PublicId, r.IssuerPublicId, r.BadgeClassPublicId, r.Entity.Status, r.Entity.Narrative, ExperienceEvidence.Read(r.Entity.EvidenceJson),
            r.AssertionPublicId, r.Entity.CreatedAt, r.Entity.UpdatedAt, r.Entity.DecidedAt,
            history?.Select(e => new ApplicationStep(e.Kind, e.Actor, e.CreatedAt, e.Message)).ToList());

    public static VolunteerApplicationView VolunteerView(ApplicationRow r, IEnumerable<ApplicationEventEntity> history, PublicUrls urls) =>
        new(r.Entity.PublicId, r.IssuerPublicId, r.BadgeClassPublicId, r.Entity.Status, r.Entity.Narrative, ExperienceEvidence.Read(r.Entity.EvidenceJson),
            r.AssertionPublicId, r.AssertionPublicId is null ? null : urls.Assertion(r.AssertionPublicId), r.Entity.CreatedAt, r.Entity.UpdatedAt, r.Entity.DecidedAt,
            [.. history.Select(e => new ApplicationStep(e.Kind, e.Actor == ApplicationSteps.Volunteer ? e.Actor : "staff", e.CreatedAt, e.Message))]);

    /// <summary>Whether the volunteer of <paramref name="recipientLookup"/> holds a badge of the class now (not revoked, not expired).</summary>
    public static Task<bool> HoldsAsync(BadgesDbContext db, long badgeClassId, string recipientLookup, DateTime now, CancellationToken ct) =>
        db.Assertions.AsNoTracking().AnyAsync(a => a.BadgeClassId == badgeClassId && a.RecipientLookup == recipientLookup
            && a.RevokedAt == null && (a.Expires == null || a.Expires > now), ct);
}
