using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Storage;

/// <summary>Two API nodes starting at once on one empty PostgreSQL database: one migrates and seeds, the other waits.</summary>
[TestFixture]
public sealed class ConcurrentStartTests
{
    [Test]
    public async Task TwoInstancesStartingTogether_MigrateAndSeedOnce()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        await using var first = new BadgesApiFactory(database, ownsDatabase: false);
        await using var second = new BadgesApiFactory(database, ownsDatabase: false);
        await Task.WhenAll(Task.Run(first.StartServer), Task.Run(second.StartServer));

        await using var context = SchemaTests.Context(database);
        Assert.That(await context.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM schema_migrations").SingleAsync(),
            Is.EqualTo(MigrationRunner.Available(DatabaseProvider.Postgres).Count));
        Assert.That(await context.Issuers.CountAsync(i => i.IsCatalogueOwner), Is.EqualTo(1));
        Assert.That(await context.BadgeClasses.CountAsync(), Is.EqualTo(32));
        Assert.That(await context.ApiClients.CountAsync(), Is.EqualTo(1));
        var ready = await first.CreateClient().GetAsync("/health/ready");
        Assert.That((int)ready.StatusCode, Is.EqualTo(200));
    }
}
