using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Storage;

[TestFixture]
public sealed class SqliteModeTests
{
    [Test]
    public async Task MigratedSqliteDatabase_UsesWriteAheadLogging()
    {
        await using var factory = await BadgesApiFactory.StartAsync(DatabaseProvider.Sqlite);
        await using var context = SchemaTests.Context(factory.Database);
        var mode = await context.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync();
        Assert.That(mode, Is.EqualTo("wal"));
    }

    /// <summary>A writer that meets a lock waits in SQLite's own short steps, not the driver's 150 ms sleeps (issue #14).</summary>
    [Test]
    public async Task EveryConnection_WaitsForTheWriteLockWithSqlitesBusyHandler()
    {
        await using var factory = await BadgesApiFactory.StartAsync(DatabaseProvider.Sqlite);
        await using var context = SchemaTests.Context(factory.Database);
        await context.Database.OpenConnectionAsync();
        await using var command = context.Database.GetDbConnection().CreateCommand();
        command.CommandText = "PRAGMA busy_timeout";
        Assert.That(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(30_000));
    }
}
