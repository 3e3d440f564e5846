using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Requapass.Badges.Api.Tests.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Storage;

/// <summary>
/// The hand-owned SQL migrations and the EF Core model must describe the same schema: a database
/// migrated by the runner is compared, table by table, column by column, index by index and
/// constraint by constraint, with one that EF Core creates from the model.
/// </summary>
[TestFixture(DatabaseProvider.Sqlite)]
[TestFixture(DatabaseProvider.Postgres)]
public sealed class SchemaTests(DatabaseProvider provider)
{
    [Test]
    public async Task MigratedSchema_MatchesTheEfModel()
    {
        await using var migratedDb = await TestDatabase.CreateAsync(provider);
        await using var modelDb = await TestDatabase.CreateAsync(provider);
        await using (var migrated = Context(migratedDb))
        {
            var runner = Runner(migrated, migratedDb);
            await runner.RunExclusiveAsync(() => runner.ApplyPendingAsync(CancellationToken.None), CancellationToken.None);
        }
        await using (var model = Context(modelDb))
        {
            await model.Database.EnsureCreatedAsync();
        }
        var expected = await Describe(modelDb);
        var actual = await Describe(migratedDb);
        Assert.That(expected, Is.Not.Empty);
        Assert.That(actual, Is.EqualTo(expected));
    }

    [Test]
    public async Task Migrations_RunTwice_ApplyNothingTheSecondTime()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var context = Context(db);
        var runner = Runner(context, db);
        var first = 0;
        var second = 0;
        await runner.RunExclusiveAsync(async () => first = await runner.ApplyPendingAsync(CancellationToken.None), CancellationToken.None);
        await runner.RunExclusiveAsync(async () => second = await runner.ApplyPendingAsync(CancellationToken.None), CancellationToken.None);
        Assert.That(first, Is.EqualTo(MigrationRunner.Available(provider).Count).And.GreaterThan(0));
        Assert.That(second, Is.Zero);
    }

    [Test]
    public async Task Migrations_WhenAShippedOneWasEdited_RefuseToRun()
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        await using var context = Context(db);
        var runner = Runner(context, db);
        await runner.RunExclusiveAsync(() => runner.ApplyPendingAsync(CancellationToken.None), CancellationToken.None);
        await context.Database.ExecuteSqlRawAsync("UPDATE schema_migrations SET checksum = 'edited'");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runner.RunExclusiveAsync(() => runner.ApplyPendingAsync(CancellationToken.None), CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("checksum"));
    }

    internal static BadgesDbContext Context(TestDatabase db) =>
        new(DatabaseSetup.Configure(new DbContextOptionsBuilder<BadgesDbContext>(), db.Provider, db.ConnectionString).Options as DbContextOptions<BadgesDbContext>
            ?? throw new InvalidOperationException());

    private static MigrationRunner Runner(BadgesDbContext context, TestDatabase db) =>
        new(context, new DatabaseTarget(db.Provider, db.ConnectionString), NullLogger<MigrationRunner>.Instance);

    /// <summary>A sorted, provider-specific description of every table, column, index and constraint.</summary>
    private static async Task<List<string>> Describe(TestDatabase db)
    {
        await using var context = Context(db);
        await context.Database.OpenConnectionAsync();
        var connection = context.Database.GetDbConnection();
        var lines = new List<string>();
        if (db.Provider == DatabaseProvider.Sqlite)
        {
            var tables = await Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'");
            foreach (var t in tables.Select(r => r[0]))
            {
                lines.Add($"table {t}");
                lines.AddRange((await Query(connection, $"PRAGMA table_info('{t}')")).Select(r => $"column {t}.{r[1]} {r[2]} notnull={r[3]} pk={r[5]}"));
                lines.AddRange((await Query(connection, $"PRAGMA foreign_key_list('{t}')")).Select(r => $"fk {t}.{r[3]} -> {r[2]}.{r[4]} delete={r[6]}"));
                foreach (var index in await Query(connection, $"PRAGMA index_list('{t}')"))
                {
                    var columns = (await Query(connection, $"PRAGMA index_info('{index[1]}')")).Select(r => r[2]);
                    lines.Add($"index {t}.{index[1]} unique={index[2]} ({string.Join(",", columns)})");
                }
            }
        }
        else
        {
            lines.AddRange((await Query(connection, """
                SELECT table_name, column_name, data_type, is_nullable, coalesce(character_maximum_length, 0), is_identity
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
                """)).Select(r => $"column {r[0]}.{r[1]} {r[2]} nullable={r[3]} max={r[4]} identity={r[5]}"));
            lines.AddRange((await Query(connection,
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"))
                .Select(r => $"index {r[0]} {r[1]}"));
            lines.AddRange((await Query(connection, """
                SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint
                WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
                """)).Select(r => $"constraint {r[0]}.{r[1]} {r[2]}"));
        }
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task<List<string[]>> Query(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "").ToArray());
        }
        return rows;
    }
}
