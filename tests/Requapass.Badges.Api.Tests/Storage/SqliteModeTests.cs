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
}
