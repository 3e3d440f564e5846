using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Storage;

/// <summary>
/// PostgreSQL statements are prepared automatically (issue #14), unless the connection string says
/// otherwise; and the service's repeated public reads really run as prepared statements on the server.
/// </summary>
[TestFixture]
public sealed class PostgresPreparationTests
{
    [Test]
    public void AutoPrepare_IsOnByDefault_AndTheConnectionStringWins()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db;Username=u;Database=d"));
        Assert.That((defaulted.MaxAutoPrepare, defaulted.AutoPrepareMinUsages), Is.EqualTo((64, 2)));
        var chosen = new NpgsqlConnectionStringBuilder(DatabaseSetup.WithAutoPrepare("Host=db;Username=u;Database=d;Max Auto Prepare=0"));
        Assert.That(chosen.MaxAutoPrepare, Is.EqualTo(0), "behind a pooler that cannot keep prepared statements");
    }

    [Test]
    public async Task TheServicesContext_PreparesAStatementItRunsTwice()
    {
        await using var factory = await BadgesApiFactory.StartAsync(DatabaseProvider.Postgres);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BadgesDbContext>();
        // pg_prepared_statements lists one session's statements: keep one physical connection throughout.
        await db.Database.OpenConnectionAsync();
        var before = await PreparedAsync(db);
        for (var i = 0; i < 3; i++) { await db.Issuers.AsNoTracking().Where(x => x.PublicId == "0123456789abcdef01234567").Select(x => x.Name).FirstOrDefaultAsync(); }
        Assert.That(await PreparedAsync(db), Is.GreaterThan(before), "the lookup run three times is prepared on the server");
    }

    private static Task<long> PreparedAsync(BadgesDbContext db) =>
        db.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM pg_prepared_statements").SingleAsync();
}
