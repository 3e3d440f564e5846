using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Requapass.Badges.Data;

/// <summary>The stores the service runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one file, no server.</summary>
    Sqlite,
    /// <summary>The production store, shared by any number of API nodes.</summary>
    Postgres,
}

public static class DatabaseSetup
{
    /// <summary>How long SQLite's own busy handler waits for another writer's lock: the command timeout, 30 s.</summary>
    public const int SqliteBusyMilliseconds = 30_000;

    /// <summary>
    /// Gives an open SQLite connection SQLite's own busy handler (https://www.sqlite.org/c3ref/busy_timeout.html,
    /// what <c>PRAGMA busy_timeout</c> calls, called directly: no statement to parse). Every connection the
    /// service opens gets it: EF Core's (<see cref="SqliteKeepOpen"/>) and those it opens itself (the award
    /// queue's writer); other connections are left as they are.
    /// </summary>
    public static void WaitWhenBusy(DbConnection connection)
    {
        if (connection is Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle })
        {
            Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(SQLitePCL.raw.sqlite3_busy_timeout(handle, SqliteBusyMilliseconds), handle);
        }
    }

    public static IServiceCollection AddBadgesDatabase(this IServiceCollection services, DatabaseProvider provider, string connectionString)
    {
        services.AddDbContextPool<BadgesDbContext>(o => Configure(o, provider, connectionString));
        services.AddSingleton(new DatabaseTarget(provider, connectionString));
        services.AddScoped<MigrationRunner>();
        return services;
    }

    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString) =>
        provider switch
        {
            DatabaseProvider.Sqlite => options.UseSqlite(connectionString).AddInterceptors(SqliteKeepOpen.Instance),
            DatabaseProvider.Postgres => options.UseNpgsql(WithAutoPrepare(connectionString)),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };

    /// <summary>
    /// Npgsql's automatic preparation, unless the connection string says otherwise: a statement run
    /// twice on a physical connection is prepared there, so PostgreSQL stops parsing and planning the
    /// same public lookups on every request (issue #14: about 1 ms of planning for a three-table lookup
    /// by an indexed id; the assertion read went from about 1,700 to 2,800 requests a second, its
    /// database CPU halved). Behind a pooler that cannot keep prepared statements (PgBouncer in
    /// transaction mode before 1.21), set <c>Max Auto Prepare=0</c> in the connection string.
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        // The generic builder keeps the keys as written (Npgsql's answers ContainsKey for every keyword it knows).
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (written.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase)))
        {
            return connectionString;
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { MaxAutoPrepare = 64, AutoPrepareMinUsages = 2 }.ConnectionString;
    }
}

/// <summary>
/// Keeps an SQLite connection open while its (pooled) DbContext is leased, where EF Core would open and
/// close it around every query (EF Core closes it when the context goes back to the pool). Each open
/// of a Microsoft.Data.Sqlite connection registers again the functions EF Core adds to it (ef_mod,
/// regexp and the others), each registration a finalizable SQLitePCL hook handle: under a few hundred
/// awards a second the finalizer thread alone took about a fifth of the service's CPU
/// (docs/performance.md, issue #11). An idle SQLite connection holds no lock
/// (write-ahead log; outside a transaction each statement is its own read), so keeping it open costs
/// a file handle and its page cache. Only the close EF asks for after a query is skipped: returning
/// or disposing the context still closes the connection.
/// <para>
/// When it opens, the connection is given SQLite's own busy handler (<c>sqlite3_busy_timeout</c>, 30 s,
/// the command timeout): a writer that finds the file locked by another writer waits in SQLite's short
/// steps (1, 2, 5, 10 ms... up to 100 ms) and takes the lock as soon as it is free. Without it the
/// driver sleeps 150 ms between tries, which gave 8 concurrent awards a p99 of 457 ms in steps of
/// about 150 ms (issue #14).
/// </para>
/// <para>
/// A connection SQLite opened read-only is closed for real: when the file system is read-only, SQLite
/// opens the file for reading instead of failing, and such a connection stays read-only after the disk
/// is writable again (its file descriptor was opened so). Kept, it would stay with its context or go
/// back to the driver's pool and fail the writes of whoever uses it next, for the life of the process;
/// closed, and its pool cleared, the next open opens the file anew (the node recovers without a
/// restart: DiskFaultTests).
/// </para>
/// </summary>
internal sealed class SqliteKeepOpen : DbConnectionInterceptor
{
    public static readonly SqliteKeepOpen Instance = new();

    // A context opens its connection again each time the pool lends it: the handler is set each time.
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => DatabaseSetup.WaitWhenBusy(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        DatabaseSetup.WaitWhenBusy(connection);
        return Task.CompletedTask;
    }

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        KeepOpen(connection) ? InterceptionResult.Suppress() : result;

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(KeepOpen(connection) ? InterceptionResult.Suppress() : result);

    /// <summary>False for a connection SQLite opened read-only (https://www.sqlite.org/c3ref/db_readonly.html), whose pool is then cleared so it is not reused.</summary>
    private static bool KeepOpen(DbConnection connection)
    {
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection { Handle: { } handle } sqlite || SQLitePCL.raw.sqlite3_db_readonly(handle, "main") != 1)
        {
            return true;
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearPool(sqlite);
        return false;
    }
}

/// <summary>Which store this process talks to.</summary>
public sealed record DatabaseTarget(DatabaseProvider Provider, string ConnectionString);
