using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// A fresh, empty database for one test fixture: a temporary SQLite file, or a new PostgreSQL
/// database on the server named by REQUAPASS_TEST_POSTGRES. There is no skipping: a fixture that
/// cannot reach PostgreSQL fails, so CI cannot go green without running the PostgreSQL tests.
/// A PostgreSQL database is named with its creation time, so that one left behind can be told from
/// one in use and swept by a later run (<see cref="SweepAsync"/>); one that cannot be dropped fails
/// the fixture that made it, rather than leaking quietly.
/// </summary>
public sealed partial class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "REQUAPASS_TEST_POSTGRES";
    private const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=requapass;Password=requapass;Database=postgres";

    private readonly string? _sqliteFile;
    private readonly string? _postgresName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteFile, string? postgresName)
    {
        (Provider, ConnectionString, _sqliteFile, _postgresName) = (provider, connectionString, sqliteFile, postgresName);
    }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Path.GetTempPath(), $"rq-test-{Guid.NewGuid():N}.db");
            return new TestDatabase(provider, $"Data Source={file};Pooling=False", file, null);
        }
        var admin = AdminConnectionString;
        var name = $"rq_test_{DateTime.UtcNow.ToString(NameTime, CultureInfo.InvariantCulture)}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            try
            {
                await connection.OpenAsync();
            }
            catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                throw new InvalidOperationException(
                    $"PostgreSQL tests need a server: set {PostgresVariable} or run scripts/postgres.sh. ({e.Message})", e);
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new TestDatabase(provider, builder.ToString(), null, name);
    }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value ? value : DefaultPostgres;

    public async ValueTask DisposeAsync()
    {
        if (_sqliteFile is not null)
        {
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_sqliteFile + suffix);
            }
        }
        if (_postgresName is not null)
        {
            await DropAsync(_postgresName);
        }
    }

    private const string NameTime = "yyyyMMddHHmmss";

    [GeneratedRegex("^rq_test_([0-9]{14})_[0-9a-f]{32}$")]
    private static partial Regex TimedName();

    /// <summary>
    /// Drops the database, or throws (an exception in OneTimeTearDown is an error on the fixture, which
    /// fails the run). WITH (FORCE) is refused (42501) when a session of another role, a superuser's
    /// psql say, is connected: this role's own sessions are ended first (no privilege needed for those),
    /// then the drop is tried without FORCE, a few times, while the other session goes away.
    /// </summary>
    private static async Task DropAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        PostgresException? last = null;
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await using var connection = new NpgsqlConnection(AdminConnectionString);
            await connection.OpenAsync();
            try
            {
                await ExecuteAsync(connection, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()", name);
                try
                {
                    await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
                {
                    await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\"");
                }
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse)
            {
                last = e;
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt));
            }
        }
        throw new InvalidOperationException(
            $"The test database {name} could not be dropped and is left on the server: {last?.SqlState} {last?.MessageText}", last);
    }

    /// <summary>
    /// Drops the test databases earlier runs left behind: those named as this class names them, created
    /// more than <paramref name="margin"/> before <paramref name="runStart"/>, and with no session. The
    /// drop is without FORCE, so a database still in use (another run's, on a shared server) is refused
    /// by PostgreSQL and left alone. Older names (without a time) cannot be dated and are not touched.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepAsync(DateTime runStart, TimeSpan margin)
    {
        var dropped = new List<string>();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        var names = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'rq\\_test\\_%'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) { names.Add(reader.GetString(0)); }
        }
        foreach (var name in names)
        {
            var match = TimedName().Match(name);
            if (!match.Success) { continue; }
            var created = DateTime.ParseExact(match.Groups[1].Value, NameTime, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            if (created > runStart - margin) { continue; }
            try
            {
                await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\"");
                dropped.Add(name);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ObjectInUse or PostgresErrorCodes.InsufficientPrivilege)
            {
                // In use, or another role's: not a leftover of ours to remove.
            }
        }
        return dropped;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, string? name = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null) { command.Parameters.AddWithValue("name", name); }
        await command.ExecuteNonQueryAsync();
    }
}
