using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Requapass.Badges.Api.Infrastructure;

namespace Requapass.Badges.Api.Tests.Storage;

/// <summary>
/// What counts as worth retrying. The faults themselves are exercised for real elsewhere
/// (BatchConnectionLossTests terminates backends); this pins the classification others rely on.
/// </summary>
public class TransientFaultsTests
{
    private static PostgresException Postgres(string sqlState) => new("test", "ERROR", "ERROR", sqlState);

    [TestCase("40001", ExpectedResult = true)] // serialization failure
    [TestCase("40P01", ExpectedResult = true)] // deadlock
    [TestCase("57P01", ExpectedResult = true)] // admin shutdown: pg_terminate_backend
    [TestCase("57P03", ExpectedResult = true)] // cannot connect now
    [TestCase("08006", ExpectedResult = true)] // connection failure
    [TestCase("53300", ExpectedResult = true)] // too many connections
    [TestCase("23505", ExpectedResult = false)] // unique violation
    [TestCase("P0001", ExpectedResult = false)] // raise_exception
    [TestCase("42P01", ExpectedResult = false)] // undefined table
    public bool A_postgres_error_is_transient_by_its_sqlstate(string sqlState) => TransientFaults.IsTransient(Postgres(sqlState));

    [Test]
    public void A_wrapped_fault_is_judged_by_its_cause()
    {
        Assert.That(TransientFaults.IsTransient(new DbUpdateException("save", Postgres("40001"))), Is.True);
        Assert.That(TransientFaults.IsTransient(new DbUpdateException("save", Postgres("23505"))), Is.False);
        Assert.That(TransientFaults.IsTransient(new NpgsqlException("Exception while reading from stream", new IOException("reset"))), Is.True);
        Assert.That(TransientFaults.IsTransient(new NpgsqlException("bad", new InvalidOperationException("bug"))), Is.False);
        Assert.That(TransientFaults.IsTransient(new TimeoutException()), Is.True);
        Assert.That(TransientFaults.IsTransient(new InvalidOperationException("bug")), Is.False);
    }

    [Test]
    public void A_cancelled_command_is_not_transient() =>
        Assert.That(TransientFaults.IsTransient(new OperationCanceledException("cancelled", Postgres("57014"))), Is.False);

    [TestCase(5, ExpectedResult = true)] // SQLITE_BUSY
    [TestCase(6, ExpectedResult = true)] // SQLITE_LOCKED
    [TestCase(19, ExpectedResult = false)] // SQLITE_CONSTRAINT
    [TestCase(1, ExpectedResult = false)] // SQLITE_ERROR
    public bool A_sqlite_error_is_transient_when_busy_or_locked(int code) => TransientFaults.IsTransient(new SqliteException("test", code));
}
