using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Lookups;

/// <summary>A bulk award job's row id and the public id of the issuer it belongs to.</summary>
public sealed record FoundJob(long Id, string IssuerPublicId);

/// <summary>A claim campaign (tracked) and the public ids of its issuer and badge class.</summary>
public sealed record FoundCampaign(Data.Entities.ClaimCampaignEntity Entity, string IssuerPublicId, string BadgeClassPublicId);

/// <summary>A volunteer's claim's row id and the public id of its issuer.</summary>
public sealed record FoundClaim(long Id, string IssuerPublicId);

/// <summary>An endorsement's public id and the public id of the issuer that made it (its owner).</summary>
public sealed record FoundEndorsement(string PublicId, string IssuerPublicId);
/// <summary>A volunteer's application's row id and the public id of its issuer.</summary>
public sealed record FoundApplication(long Id, string IssuerPublicId);

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
    private (string Id, FoundCampaign? Row)? _campaign;
    private (string Id, FoundClaim? Row)? _claim;
    private (string Id, FoundEndorsement? Row)? _endorsement;
    private (string Id, FoundApplication? Row)? _application;

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

    public async ValueTask<FoundCampaign?> Campaign(string id, CancellationToken ct)
    {
        if (_campaign is not { } known || known.Id != id)
        {
            var row = !PublicIds.LooksValid(id) ? null : await db.ClaimCampaigns.Where(c => c.PublicId == id)
                .Select(c => new FoundCampaign(c, db.Issuers.Where(i => i.Id == c.IssuerId).Select(i => i.PublicId).First(),
                    db.BadgeClasses.Where(b => b.Id == c.BadgeClassId).Select(b => b.PublicId).First()))
                .SingleOrDefaultAsync(ct);
            _campaign = known = (id, row);
        }
        return known.Row;
    }

    public async ValueTask<FoundClaim?> Claim(string id, CancellationToken ct)
    {
        if (_claim is not { } known || known.Id != id)
        {
            var row = !PublicIds.LooksValid(id) ? null : await db.Claims.AsNoTracking().Where(c => c.PublicId == id)
                .Select(c => new FoundClaim(c.Id, db.Issuers.Where(i => i.Id == c.IssuerId).Select(i => i.PublicId).First()))
                .SingleOrDefaultAsync(ct);
            _claim = known = (id, row);
        }
        return known.Row;
    }

    public async ValueTask<FoundEndorsement?> Endorsement(string id, CancellationToken ct)
    {
        if (_endorsement is not { } known || known.Id != id)
        {
            var row = !PublicIds.LooksValid(id) ? null : await db.Endorsements.AsNoTracking().Where(e => e.PublicId == id)
                .Select(e => new FoundEndorsement(e.PublicId, db.Issuers.Where(i => i.Id == e.IssuerId).Select(i => i.PublicId).First()))
                .SingleOrDefaultAsync(ct);
            _endorsement = known = (id, row);
        }
        return known.Row;
    }

    public async ValueTask<FoundApplication?> Application(string id, CancellationToken ct)
    {
        if (_application is not { } known || known.Id != id)
        {
            var row = !PublicIds.LooksValid(id) ? null : await db.Applications.AsNoTracking().Where(a => a.PublicId == id)
                .Select(a => new FoundApplication(a.Id, db.Issuers.Where(i => i.Id == a.IssuerId).Select(i => i.PublicId).First()))
                .SingleOrDefaultAsync(ct);
            _application = known = (id, row);
        }
        return known.Row;
    }

    public void Forget() => (_badgeClass, _assertion, _job, _campaign, _claim, _endorsement, _application) = (null, null, null, null, null, null, null);
}
