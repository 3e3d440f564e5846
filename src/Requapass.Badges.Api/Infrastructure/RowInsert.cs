using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Infrastructure;

/// <summary>
/// One parameterised INSERT, prepared once and run for each row on a connection and its transaction:
/// the bulk paths and the award write rows this way instead of through EF Core's change tracker, whose
/// per-entity bookkeeping was most of their time (docs/performance.md, issues #11 and #14). Values are
/// given in the order of the columns; null is SQL NULL and instants are UTC (the EF model's converter
/// stores UTC everywhere; PostgreSQL's timestamptz wants <see cref="DateTimeKind.Utc"/>). Column
/// names are those of the EF model, which the schema test holds to the migrations.
/// </summary>
public sealed class RowInsert : IAsyncDisposable
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    /// <param name="sql">The statement, naming its parameters <c>@column</c> as <paramref name="columns"/> lists them.</param>
    public RowInsert(DbConnection connection, DbTransaction transaction, string sql, params (string Column, DbType Type)[] columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new DbParameter[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = _command.CreateParameter();
            (parameter.ParameterName, parameter.DbType) = ("@" + columns[i].Column, columns[i].Type);
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }
    }

    /// <summary>The statement on <paramref name="db"/>'s connection and current transaction (a write's rows exist with it or not at all).</summary>
    public static RowInsert OnCurrentTransaction(BadgesDbContext db, string sql, params (string Column, DbType Type)[] columns) =>
        new(db.Database.GetDbConnection(),
            db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Rows are inserted inside the change's transaction."),
            sql, columns);

    /// <summary>"INSERT INTO table (a, b) VALUES (@a, @b)" for these columns.</summary>
    public static string Values(string table, IEnumerable<string> columns)
    {
        var names = columns.ToArray();
        return $"INSERT INTO {table} ({string.Join(", ", names)}) VALUES ({string.Join(", ", names.Select(c => "@" + c))})";
    }

    /// <summary>Runs the statement for one row; answers the rows it inserted.</summary>
    public Task<int> ExecuteAsync(CancellationToken ct, params ReadOnlySpan<object?> values)
    {
        if (values.Length != _parameters.Length) { throw new ArgumentException($"{_parameters.Length} values expected, {values.Length} given.", nameof(values)); }
        for (var i = 0; i < values.Length; i++)
        {
            _parameters[i].Value = DbValue(values[i]);
        }
        return _command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The same statement as one command of <paramref name="batch"/> (one round trip for several statements, where the driver batches).</summary>
    public static DbBatchCommand AddTo(DbBatch batch, string sql, (string Column, DbType Type)[] columns, params object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        for (var i = 0; i < columns.Length; i++)
        {
            var parameter = command.CreateParameter();
            (parameter.ParameterName, parameter.DbType, parameter.Value) = ("@" + columns[i].Column, columns[i].Type, DbValue(values[i]));
            command.Parameters.Add(parameter);
        }
        batch.BatchCommands.Add(command);
        return command;
    }

    private static object DbValue(object? value) => value switch
    {
        null => DBNull.Value,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        var v => v,
    };

    /// <summary>As <see cref="ExecuteAsync"/>, for a row that must be written (an insert from a select that found nothing is a bug).</summary>
    public async Task ExecuteOneAsync(string what, CancellationToken ct, params object?[] values)
    {
        if (await ExecuteAsync(ct, values) != 1) { throw new InvalidOperationException($"{what} names an assertion that was not inserted."); }
    }

    public ValueTask DisposeAsync() => _command.DisposeAsync();
}
