using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Health;

/// <summary>
/// Ready means the store answers, its schema is there, and it takes writes: a node that can serve
/// reads but not awards (a full disk, a read-only file system or database) is taken out of the load
/// balancer rather than answering every award with an error. The write is a committed no-op update
/// of the newest migration row: it goes through the journal (SQLite's WAL, PostgreSQL's WAL) like
/// any award, and changes nothing.
/// </summary>
public sealed class DatabaseHealthCheck(BadgesDbContext db, DatabaseTarget target) : IHealthCheck
{
    /// <summary>Below this much free space under an SQLite file the node is not ready: an award would fail.</summary>
    public const long MinimumFreeBytes = 1024 * 1024;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        // A small committed write can still fit in space SQLite's WAL file already holds, so the free space of
        // the file system is read too. PostgreSQL's disk is the server's: it refuses writes itself (53100).
        if (target.Provider == DatabaseProvider.Sqlite && FreeBytes() is < MinimumFreeBytes)
        {
            return HealthCheckResult.Unhealthy("The database has no space left: it cannot take writes.");
        }
        try
        {
            var updated = await db.Database.ExecuteSqlRawAsync(
                "UPDATE schema_migrations SET checksum = checksum WHERE version = (SELECT MAX(version) FROM schema_migrations)", ct);
            return updated == 1 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database is not migrated.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StoreFaults.ForgetBrokenConnections(e);
            return StoreFaults.Classify(e) switch
            {
                StoreFault.Full => HealthCheckResult.Unhealthy("The database has no space left: it cannot take writes."),
                StoreFault.Unavailable => HealthCheckResult.Unhealthy("The database is unreachable, or cannot take writes."),
                _ => HealthCheckResult.Unhealthy("The database is unreachable or not migrated."),
            };
        }
    }

    private long? FreeBytes()
    {
        var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(target.ConnectionString).DataSource;
        if (string.IsNullOrEmpty(file) || file == ":memory:") { return null; }
        try
        {
            return new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(file))!).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
