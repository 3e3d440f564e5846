using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Requapass.Badges.Api.Features.Audit;
using Requapass.Badges.Api.Features.Batches;
using Requapass.Badges.Api.Features.Mail;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// Everything one award stores, written together or not at all: the assertion, its
/// <c>assertion.awarded</c> event (ARCHITECTURE.md, flow 6), the audit entry, the address for the award
/// mail and for the expiry reminder when they are wanted (README, Privacy), and the Idempotency-Key
/// with the request's hash when one was sent.
/// </summary>
public sealed record AwardRows(
    AssertionEntity Assertion, OutboxEventEntity Awarded, AuditEntryEntity Audit,
    (string Address, string Locale)? Mail, WantedReminder? Reminder, AwardKey? Key);

/// <summary>An award's Idempotency-Key: per API client, with the hash of the request that first used it.</summary>
public sealed record AwardKey(string ClientId, string Key, string RequestHash);

/// <summary>
/// Writes awards' rows with hand-written statements on one connection and transaction, each statement
/// prepared once and reused for every award of a group (<see cref="RowInsert"/>): an award's write was
/// most of its CPU through EF Core's change tracker (docs/performance.md, issue #14). The rows after the
/// assertion name it by public id, so no key is read back.
/// </summary>
internal sealed class AwardRowWriter(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private const string KeySql = "INSERT INTO idempotency_records (client_id, \"key\", request_hash, assertion_id, created_at) "
        + "SELECT @client_id, @key, @request_hash, id, @created_at FROM assertions WHERE public_id = @public_id";

    private static readonly (string, DbType)[] KeyColumns =
        [("client_id", DbType.String), ("key", DbType.String), ("request_hash", DbType.String), ("created_at", DbType.DateTime), ("public_id", DbType.String)];

    /// <summary>One statement of an award's write; <c>MustInsert</c> when it selects the assertion by public id and must find it.</summary>
    private sealed record Statement(string Sql, (string Column, DbType Type)[] Columns, object?[] Values, bool MustInsert = false);

    /// <summary>An award's statements, in order: the assertion first, since the rows after it name it by public id.</summary>
    private static IEnumerable<Statement> Statements(AwardRows rows)
    {
        var a = rows.Assertion;
        yield return new(AssertionInserts.Sql, AssertionInserts.Parameters, AssertionInserts.Values(a));
        yield return new(Outbox.Sql, Outbox.Columns, Outbox.Values(rows.Awarded));
        yield return new(AuditTrail.Sql, AuditTrail.Columns, AuditTrail.Values(rows.Audit));
        if (rows.Mail is { } mail) { yield return new(MailQueue.RequestSql, MailQueue.RequestColumns, [a.PublicId, mail.Address, mail.Locale, a.CreatedAt], true); }
        if (rows.Reminder is { } r) { yield return new(ExpiryReminders.Sql, ExpiryReminders.Columns, [a.PublicId, r.Address, r.Locale, r.DueAt, a.CreatedAt], true); }
        if (rows.Key is { } key) { yield return new(KeySql, KeyColumns, [key.ClientId, key.Key, key.RequestHash, a.CreatedAt, a.PublicId], true); }
    }

    private const string Orphan = "A row of the award names an assertion that was not inserted.";

    // The statements of this writer's connection and transaction, each prepared once for the whole group.
    private readonly Dictionary<string, RowInsert> _inserts = [];

    /// <summary>Writes the award one statement at a time, each reused for the next award of the group.</summary>
    public async Task WriteAsync(AwardRows rows, CancellationToken ct)
    {
        foreach (var statement in Statements(rows))
        {
            if (!_inserts.TryGetValue(statement.Sql, out var insert))
            {
                _inserts[statement.Sql] = insert = new RowInsert(connection, transaction, statement.Sql, statement.Columns);
            }
            if (await insert.ExecuteAsync(ct, statement.Values) != 1 && statement.MustInsert) { throw new InvalidOperationException(Orphan); }
        }
    }

    /// <summary>
    /// The same statements as one batch: on PostgreSQL one round trip for the award, where a statement
    /// at a time was one round trip each.
    /// </summary>
    public static async Task WriteBatchAsync(DbConnection connection, DbTransaction? transaction, AwardRows rows, CancellationToken ct)
    {
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        var mustInsert = Statements(rows).Select(s => (Command: RowInsert.AddTo(batch, s.Sql, s.Columns, s.Values), s.MustInsert)).ToList();
        await batch.ExecuteNonQueryAsync(ct);
        if (mustInsert.Any(c => c.MustInsert && c.Command.RecordsAffected != 1)) { throw new InvalidOperationException(Orphan); }
    }

    /// <summary>The Idempotency-Key was stored meanwhile by a concurrent request with the same key (its primary key).</summary>
    public static bool KeyTaken(Exception e) => e switch
    {
        // SQLite names the columns of the violated key: "UNIQUE constraint failed: idempotency_records.client_id, ...".
        SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 1555 or 2067 } s => s.Message.Contains("idempotency_records.", StringComparison.Ordinal),
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p => p.ConstraintName == "pk_idempotency_records",
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var insert in _inserts.Values) { await insert.DisposeAsync(); }
    }
}

/// <summary>
/// Where an award's rows go. On PostgreSQL each award is its own transaction on the request's
/// connection: the server runs concurrent writers side by side. On SQLite, which takes one writer at a
/// time, awards queue for this node's <see cref="SqliteAwardQueue"/> and are committed in groups.
/// </summary>
public sealed class AwardStore(BadgesDbContext db, DatabaseTarget target, IServiceProvider services)
{
    /// <summary>Writes the award; false when its Idempotency-Key was stored meanwhile by another request (nothing was written).</summary>
    public async Task<bool> WriteAsync(AwardRows rows, CancellationToken ct)
    {
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            return await services.GetRequiredService<SqliteAwardQueue>().WriteAsync(rows);
        }
        // One batch and no explicit transaction: PostgreSQL runs a batch's statements (up to its one Sync) in
        // one implicit transaction, and Npgsql rolls all of them back when one fails (NpgsqlBatchCommand,
        // AppendErrorBarrier: off by default). One round trip for the whole award, BEGIN and COMMIT included.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await AwardRowWriter.WriteBatchAsync(db.Database.GetDbConnection(), null, rows, ct);
            return true;
        }
        catch (PostgresException e) when (rows.Key is not null && AwardRowWriter.KeyTaken(e))
        {
            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
