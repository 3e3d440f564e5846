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
/// What the answers say of a database failure (503 with Retry-After, 507); the work that retries on
/// its own (bulk jobs) asks <see cref="TransientFaults"/>, which this builds on.
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

    /// <summary>
    /// Full before anything else (PostgreSQL's 53100 is also in the class <see cref="TransientFaults"/>
    /// retries); then what a retry in a moment may mend (<see cref="TransientFaults"/>), and a store that
    /// cannot take writes: SQLite READONLY (8), IOERR (10), CANTOPEN (14), PostgreSQL 25006.
    /// </summary>
    public static StoreFault Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            // SQLite result codes (https://www.sqlite.org/rescode.html); PostgreSQL SQLSTATEs (Appendix A).
            if (e is SqliteException { SqliteErrorCode: 13 } or PostgresException { SqlState: PostgresErrorCodes.DiskFull }) { return StoreFault.Full; }
            if (e is SqliteException { SqliteErrorCode: 8 or 10 or 14 } or PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction })
            {
                return StoreFault.Unavailable;
            }
        }
        return TransientFaults.IsTransient(exception) ? StoreFault.Unavailable : StoreFault.None;
    }
}
