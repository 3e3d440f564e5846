using Microsoft.Data.Sqlite;
using Npgsql;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>What a failed database call says about the store, whatever layer wrapped it.</summary>
public enum StoreFault
{
    /// <summary>Not a store fault (or one a retry cannot mend): a bug, a constraint, bad SQL.</summary>
    None,
    /// <summary>The store cannot be reached or cannot take writes for now: retry later (503).</summary>
    Unavailable,
    /// <summary>The store has no room left (507): an operator must free space.</summary>
    Full,
}

/// <summary>
/// One classification of database failures, for the answers (503 with Retry-After, 507) and for the
/// work that retries on its own (bulk jobs).
/// </summary>
public static class StoreFaults
{
    /// <summary>
    /// SQLite opens a file read-only when its file system is read-only, and a pooled connection stays so
    /// after the file system is writable again: connections are dropped after such a fault, so the next
    /// request opens fresh ones and the node recovers without a restart.
    /// </summary>
    public static void ForgetBrokenConnections(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is SqliteException { SqliteErrorCode: 8 or 10 or 14 })
            {
                SqliteConnection.ClearAllPools();
                return;
            }
        }
    }

    public static StoreFault Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            var fault = e switch
            {
                // SQLite result codes (https://www.sqlite.org/rescode.html): 13 SQLITE_FULL; 5 BUSY, 6 LOCKED,
                // 8 READONLY, 10 IOERR, 14 CANTOPEN.
                SqliteException { SqliteErrorCode: 13 } => StoreFault.Full,
                SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 14 } => StoreFault.Unavailable,
                // PostgreSQL SQLSTATE (Appendix A): 53100 disk_full; class 08 connection exception, 53 insufficient
                // resources, 57P01-57P03 shutdown / cannot connect now, 25006 read-only transaction,
                // 40001 serialization failure, 40P01 deadlock.
                PostgresException { SqlState: "53100" } => StoreFault.Full,
                PostgresException p when p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("53", StringComparison.Ordinal)
                    || p.SqlState is "57P01" or "57P02" or "57P03" or "25006" or "40001" or "40P01" => StoreFault.Unavailable,
                PostgresException => StoreFault.None,
                NpgsqlException n when n.IsTransient || n.InnerException is System.Net.Sockets.SocketException or IOException or TimeoutException => StoreFault.Unavailable,
                TimeoutException => StoreFault.Unavailable,
                _ => StoreFault.None,
            };
            if (fault != StoreFault.None) { return fault; }
            if (e is PostgresException) { return StoreFault.None; }
        }
        return StoreFault.None;
    }
}
