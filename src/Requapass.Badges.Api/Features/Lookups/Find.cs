using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Core.OpenBadges;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Lookups;

/// <summary>A badge class with what callers need of its issuer, in one query.</summary>
public sealed record FoundClass(
    BadgeClassEntity Entity, string IssuerPublicId, VerificationType IssuerDefaultVerification, bool IssuerNotifiesRecipients = true, string IssuerDefaultLocale = "fr",
    int IssuerExpiryReminderDays = 0);

/// <summary>An assertion with the public ids of its badge class and issuer, in one query.</summary>
public sealed record FoundAssertion(AssertionEntity Entity, string BadgeClassId, string IssuerId);

/// <summary>
/// The management API's lookups by public id, shared by every feature (so that no feature calls
/// another's endpoint class). Entities come back tracked: the caller may change and save them. An id
/// that cannot be one of ours is not looked up.
/// </summary>
public static class Find
{
    public static Task<IssuerEntity?> Issuer(BadgesDbContext db, string id, CancellationToken ct) =>
        PublicIds.LooksValid(id) ? db.Issuers.SingleOrDefaultAsync(i => i.PublicId == id, ct) : Task.FromResult<IssuerEntity?>(null);

    public static async Task<FoundClass?> BadgeClass(BadgesDbContext db, string id, CancellationToken ct) =>
        !PublicIds.LooksValid(id) ? null : await ClassById.For(db)(db, id, ct);

    // Compiled once per model (EF.CompileAsyncQuery; a compiled query serves one model, and SQLite's and
    // PostgreSQL's differ): the lookup every award and class route makes skips EF Core's per-call
    // expression work and query cache lookup, a twentieth of an award's CPU (issue #14).
    private static readonly CompiledPerModel<Func<BadgesDbContext, string, CancellationToken, Task<FoundClass?>>> ClassById = new(() =>
        EF.CompileAsyncQuery((BadgesDbContext db, string id, CancellationToken ct) => db.BadgeClasses.Where(b => b.PublicId == id)
            .Select(b => new FoundClass(b, b.Issuer!.PublicId, b.Issuer.DefaultVerification, b.Issuer.NotifyRecipients, b.Issuer.DefaultLocale,
                b.Issuer.ExpiryReminderDays))
            .SingleOrDefault())!);

    public static async Task<FoundAssertion?> Assertion(BadgesDbContext db, string id, CancellationToken ct)
    {
        if (!PublicIds.LooksValid(id)) { return null; }
        var row = await db.Assertions.Where(a => a.PublicId == id)
            .Select(a => new { Entity = a, BadgeClassId = a.BadgeClass!.PublicId, IssuerId = a.BadgeClass.Issuer!.PublicId })
            .SingleOrDefaultAsync(ct);
        return row is null ? null : new FoundAssertion(row.Entity, row.BadgeClassId, row.IssuerId);
    }
}
