using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Lookups;

/// <summary>A bulk award job's row id and the public id of the issuer it belongs to.</summary>
public sealed record FoundJob(long Id, string IssuerPublicId);

/// <summary>
/// The resource a management route addresses by its route parameter, found once per request (scoped):
/// the issuer-scope filter finds it to learn its owner, and the handler gets the same tracked row
/// without a second query. A request addresses one resource of each kind; <see cref="Forget"/> drops
/// what was found when the handler needs the row again as the database now has it.
/// </summary>
public sealed class Addressed(BadgesDbContext db)
{
    private (string Id, FoundClass? Row)? _badgeClass;
    private (string Id, FoundAssertion? Row)? _assertion;
    private (string Id, FoundJob? Row)? _job;

    public async ValueTask<FoundClass?> BadgeClass(string id, CancellationToken ct)
    {
        if (_badgeClass is not { } known || known.Id != id) { _badgeClass = known = (id, await Find.BadgeClass(db, id, ct)); }
        return known.Row;
    }

    public async ValueTask<FoundAssertion?> Assertion(string id, CancellationToken ct)
    {
        if (_assertion is not { } known || known.Id != id) { _assertion = known = (id, await Find.Assertion(db, id, ct)); }
        return known.Row;
    }

    public async ValueTask<FoundJob?> Job(string id, CancellationToken ct)
    {
        if (_job is not { } known || known.Id != id)
        {
            var row = !PublicIds.LooksValid(id) ? null : await db.BatchJobs.AsNoTracking().Where(j => j.PublicId == id)
                .Select(j => new FoundJob(j.Id, db.Issuers.Where(i => i.Id == j.IssuerId).Select(i => i.PublicId).First()))
                .SingleOrDefaultAsync(ct);
            _job = known = (id, row);
        }
        return known.Row;
    }

    public void Forget() => (_badgeClass, _assertion, _job) = (null, null, null);
}
