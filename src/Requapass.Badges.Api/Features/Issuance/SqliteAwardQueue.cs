using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>
/// Awards on SQLite wait in line on this node and are written by one writer, in groups: every award
/// that arrived while the previous group was committing is written in the next transaction, each in
/// its own savepoint, and the group is committed once (one lock, one sync of the write-ahead log).
/// SQLite takes one writer at a time; before this, concurrent awards each waited for the lock in the
/// busy handler's sleeps and each paid its own commit (issue #14: "writers should queue, not sleep").
/// <para>
/// An award is answered only after the commit that holds it: a response never announces an award
/// that a crash could still lose, and a crash before the commit loses only awards no client was told
/// about. A constraint one award breaks (its Idempotency-Key stored meanwhile) rolls back its own
/// savepoint and not the others'; anything that breaks the transaction (a full or read-only disk, the
/// lock not obtained within the busy timeout) fails every award of the group with that error, nothing
/// of the group is stored, and the connection is dropped so the next group opens a fresh one.
/// Other writers (management routes, workers) still take the lock with SQLite's busy handler.
/// </para>
/// </summary>
public sealed class SqliteAwardQueue(DatabaseTarget target, ILogger<SqliteAwardQueue> log) : IAsyncDisposable, IDisposable
{
    /// <summary>The most awards written in one transaction.</summary>
    public const int MaxGroup = 64;

    private sealed record Pending(AwardRows Rows, TaskCompletionSource<bool> Done);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _start = new();
    private Task? _writer;
    private SqliteConnection? _connection;

    /// <summary>Queues the award and answers once its group is committed: false when its Idempotency-Key was taken meanwhile.</summary>
    public Task<bool> WriteAsync(AwardRows rows)
    {
        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(rows, done)))
        {
            throw new ObjectDisposedException(nameof(SqliteAwardQueue), "The service is stopping.");
        }
        if (_writer is null)
        {
            // Started by the first award; it lives as long as the node (the queue's disposal drains and ends it).
            lock (_start) { _writer ??= Task.Run(RunAsync); }
        }
        return done.Task;
    }

    private async Task RunAsync()
    {
        var group = new List<Pending>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var pending)) { group.Add(pending); }
            await WriteGroupAsync(group);
        }
    }

    private async Task WriteGroupAsync(List<Pending> group)
    {
        // What each award's request is told once the group is committed: written, key taken, or its own failure.
        var outcomes = new (bool Written, Exception? Failure)[group.Count];
        try
        {
            _connection ??= await OpenAsync();
            // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default): the write lock is taken now, not at the first insert.
            await using var transaction = (SqliteTransaction)await _connection.BeginTransactionAsync();
            await using (var writer = new AwardRowWriter(_connection, transaction))
            {
                for (var i = 0; i < group.Count; i++)
                {
                    await transaction.SaveAsync("award");
                    try
                    {
                        await writer.WriteAsync(group[i].Rows, CancellationToken.None);
                        await transaction.ReleaseAsync("award");
                        outcomes[i] = (true, null);
                    }
                    // SQLITE_CONSTRAINT (https://www.sqlite.org/rescode.html#constraint) fails one statement, not the transaction.
                    catch (SqliteException e) when (e.SqliteErrorCode == 19)
                    {
                        await transaction.RollbackAsync("award");
                        await transaction.ReleaseAsync("award");
                        outcomes[i] = group[i].Rows.Key is not null && AwardRowWriter.KeyTaken(e) ? (false, null) : (false, e);
                    }
                }
            }
            await transaction.CommitAsync();
        }
        catch (Exception e)
        {
            // The transaction is gone, and with it every award of the group.
            log.LogWarning(e, "A group of {Count} awards was not written.", group.Count);
            await DropConnectionAsync();
            foreach (var pending in group) { pending.Done.TrySetException(e); }
            return;
        }
        for (var i = 0; i < group.Count; i++)
        {
            if (outcomes[i].Failure is { } failure) { group[i].Done.TrySetException(failure); }
            else { group[i].Done.TrySetResult(outcomes[i].Written); }
        }
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(target.ConnectionString);
        try
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            // As EF Core's connections: foreign keys enforced, and SQLite's busy handler while another writer holds the lock.
            command.CommandText = "PRAGMA foreign_keys = 1";
            await command.ExecuteNonQueryAsync();
            DatabaseSetup.WaitWhenBusy(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is null) { return; }
        await _connection.DisposeAsync();
        _connection = null;
    }

    /// <summary>At the node's end, after the server stopped taking requests: the awards already queued are written, then the connection is closed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        if (_writer is { } writer) { await writer; }
        await DropConnectionAsync();
    }

    /// <summary>For a container disposed synchronously: the same drain.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
