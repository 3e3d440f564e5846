using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// The one answer to "would the same work succeed if tried again in a moment?": a lost or broken
/// connection, a server shutting down or restarting, a serialization failure or deadlock (the
/// transaction was rolled back whole), a timeout, a busy SQLite file. Anything else (a constraint,
/// bad SQL, missing data, a bug) is permanent: retrying it only repeats it.
/// </summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case OperationCanceledException:
                    return false; // the caller gave up (a cancelled Npgsql command carries a 57014 inside)
                case PostgresException p:
                    return p.IsTransient || IsTransientSqlState(p.SqlState);
                case NpgsqlException n when n.IsTransient:
                    return true; // I/O and timeouts: Npgsql sets this when the connection broke
                case SqliteException s:
                    return s.SqliteErrorCode is 5 or 6; // SQLITE_BUSY, SQLITE_LOCKED
                case TimeoutException or SocketException:
                    return true;
            }
            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                return aggregate.InnerExceptions.All(IsTransient);
            }
        }
        return false;
    }

    /// <summary>
    /// SQLSTATEs of faults that say nothing about the work itself (PostgreSQL, Appendix A): the
    /// connection classes, rolled-back transactions, operator intervention, lack of resources.
    /// </summary>
    private static bool IsTransientSqlState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal) // connection exception
        || state.StartsWith("53", StringComparison.Ordinal) // insufficient resources
        || state is PostgresErrorCodes.SerializationFailure // 40001
            or PostgresErrorCodes.DeadlockDetected // 40P01
            or PostgresErrorCodes.AdminShutdown // 57P01: pg_terminate_backend, a fast shutdown
            or PostgresErrorCodes.CrashShutdown // 57P02
            or PostgresErrorCodes.CannotConnectNow // 57P03: starting up
            or PostgresErrorCodes.QueryCanceled // 57014: statement_timeout
            or PostgresErrorCodes.LockNotAvailable; // 55P03: lock_timeout
}
