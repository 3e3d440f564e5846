using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;

namespace Requapass.Badges.Data;

/// <summary>
/// Applies the versioned SQL migrations embedded in this assembly (Migrations/&lt;Provider&gt;/NNNN_name.sql),
/// each in its own transaction, recording them in schema_migrations with a checksum. On PostgreSQL a
/// session advisory lock serialises instances that start together; the second one waits, then finds
/// nothing left to do. The same lock covers the seeding that follows (see <see cref="RunExclusiveAsync"/>).
/// </summary>
public sealed class MigrationRunner(BadgesDbContext db, DatabaseTarget target, ILogger<MigrationRunner> logger)
{
    // Any constant works; it only has to be the same for every instance of this service.
    private const long AdvisoryLockKey = 0x52_51_50_42_41_44_47_45; // "RQPBADGE"

    public sealed record Migration(string Version, string Name, string Sql, string Checksum);

    /// <summary>The migrations shipped for this provider, in order.</summary>
    public static IReadOnlyList<Migration> Available(DatabaseProvider provider)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        var prefix = $"Requapass.Badges.Data.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var sql = reader.ReadToEnd();
                var file = n[prefix.Length..^4];
                var cut = file.IndexOf('_', StringComparison.Ordinal);
                return new Migration(file[..cut], file[(cut + 1)..], sql,
                    Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n")))));
            })
            .ToList();
    }

    /// <summary>Runs <paramref name="work"/> while holding the cross-instance lock (PostgreSQL) on this context's connection.</summary>
    public async Task RunExclusiveAsync(Func<Task> work, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (target.Provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync($"SELECT pg_advisory_lock({AdvisoryLockKey})", ct);
            }
            try
            {
                await work();
            }
            finally
            {
                if (target.Provider == DatabaseProvider.Postgres)
                {
                    await ExecuteAsync($"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Applies what is pending. Call inside <see cref="RunExclusiveAsync"/>.</summary>
    public async Task<int> ApplyPendingAsync(CancellationToken ct)
    {
        if (target.Provider == DatabaseProvider.Sqlite)
        {
            // Write-ahead logging lets public reads go on while an award is written. It is a
            // property of the database file, so setting it once here is enough.
            await ExecuteAsync("PRAGMA journal_mode=WAL", ct);
        }
        await ExecuteAsync("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                checksum TEXT NOT NULL,
                applied_at TEXT NOT NULL
            )
            """, ct);
        var applied = await ReadAppliedAsync(ct);
        var count = 0;
        foreach (var m in Available(target.Provider))
        {
            if (applied.TryGetValue(m.Version, out var checksum))
            {
                if (checksum != m.Checksum)
                {
                    // A shipped migration was edited after it ran somewhere: the schema can no longer be trusted.
                    throw new InvalidOperationException(
                        $"Migration {m.Version}_{m.Name} has changed since it was applied (checksum mismatch). Add a new migration instead of editing a shipped one.");
                }
                continue;
            }
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await ExecuteAsync(m.Sql, ct);
            await ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@v, @n, @c, @t)", ct,
                ("@v", m.Version), ("@n", m.Name), ("@c", m.Checksum), ("@t", DateTime.UtcNow.ToString("O")));
            await tx.CommitAsync(ct);
            logger.LogInformation("Applied migration {Version} {Name}", m.Version, m.Name);
            count++;
        }
        return count;
    }

    private async Task<Dictionary<string, string>> ReadAppliedAsync(CancellationToken ct)
    {
        var result = new Dictionary<string, string>();
        await using var cmd = CreateCommand("SELECT version, checksum FROM schema_migrations");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result[reader.GetString(0)] = reader.GetString(1);
        }
        return result;
    }

    private async Task ExecuteAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private DbCommand CreateCommand(string sql)
    {
        var cmd = db.Database.GetDbConnection().CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return cmd;
    }
}
