using Npgsql;

namespace Requapass.Badges.Api.Startup;

/// <summary>One connection to PostgreSQL before migrating, so that a missing database or server is one clear line.</summary>
public static class DatabaseReachability
{
    private const string Setting = "Database:ConnectionString";

    public static async Task<string?> PostgresProblemAsync(string connectionString, CancellationToken ct)
    {
        NpgsqlConnectionStringBuilder target;
        try
        {
            target = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return $"{Setting} is not a valid PostgreSQL connection string ({e.Message.TrimEnd('.')}).";
        }
        var server = $"{target.Host}:{target.Port}";
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return null;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // 3D000: the server is there, the database is not. The service creates tables, not databases.
            return $"{Setting}: the PostgreSQL database '{target.Database}' does not exist on {server}. "
                + $"Create it first, owned by the service's role, e.g. as the postgres user: createdb -O {target.Username ?? "requapass"} {target.Database}";
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
        {
            return $"{Setting}: PostgreSQL on {server} refused the login of role '{target.Username}' ({e.MessageText.TrimEnd('.')}). Check Username and Password.";
        }
        catch (PostgresException e)
        {
            return $"{Setting}: PostgreSQL on {server} refused the connection: {e.SqlState} {e.MessageText.TrimEnd('.')}.";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var reason = (e.InnerException ?? e).Message.TrimEnd('.');
            return $"{Setting}: cannot reach the PostgreSQL server at {server} ({reason}). Check that it runs and that Host and Port are right.";
        }
    }
}
