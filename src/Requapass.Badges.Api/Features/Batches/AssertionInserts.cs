using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Api.Features.Batches;

/// <summary>
/// Inserts a chunk of assertions with one reused parameterised INSERT on the context's connection and
/// current transaction: the bulk path does the same work per row as a bare SQL insert, without the
/// change tracker (EF's per-entity bookkeeping was most of a batch's time). Columns and conversions are
/// those of the EF model (snake_case, UTC instants), which the schema test holds to the migrations.
/// </summary>
internal static class AssertionInserts
{
    private static readonly (string Column, DbType Type, Func<AssertionEntity, object?> Value)[] Columns =
    [
        ("public_id", DbType.String, a => a.PublicId),
        ("badge_class_id", DbType.Int64, a => a.BadgeClassId),
        ("issuer_id", DbType.Int64, a => a.IssuerId),
        ("recipient_type", DbType.String, a => a.RecipientType),
        ("recipient_hash", DbType.String, a => a.RecipientHash),
        ("recipient_salt", DbType.String, a => a.RecipientSalt),
        ("recipient_lookup", DbType.String, a => a.RecipientLookup),
        ("issued_on", DbType.DateTime, a => a.IssuedOn),
        ("expires", DbType.DateTime, a => a.Expires),
        ("narrative", DbType.String, a => a.Narrative),
        ("evidence_json", DbType.String, a => a.EvidenceJson),
        ("verification_type", DbType.String, a => a.VerificationType.Name()),
        ("uuid", DbType.String, a => a.Uuid),
        ("jws", DbType.String, a => a.Jws),
        ("signing_key_id", DbType.Int64, a => a.SigningKey?.Id ?? a.SigningKeyId),
        ("batch_job_id", DbType.Int64, a => a.BatchJobId),
        ("batch_line", DbType.Int32, a => a.BatchLine),
        ("created_at", DbType.DateTime, a => a.CreatedAt),
        ("updated_at", DbType.DateTime, a => a.UpdatedAt),
    ];

    private static readonly string Sql =
        $"INSERT INTO assertions ({string.Join(", ", Columns.Select(c => c.Column))}) VALUES ({string.Join(", ", Columns.Select(c => "@" + c.Column))})";

    public static async Task InsertAsync(BadgesDbContext db, IReadOnlyList<AssertionEntity> assertions, CancellationToken ct)
    {
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Insert inside a transaction.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Sql;
        var parameters = new DbParameter[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            parameters[i] = command.CreateParameter();
            parameters[i].ParameterName = "@" + Columns[i].Column;
            parameters[i].DbType = Columns[i].Type;
            command.Parameters.Add(parameters[i]);
        }
        foreach (var assertion in assertions)
        {
            for (var i = 0; i < Columns.Length; i++)
            {
                var value = Columns[i].Value(assertion);
                // Instants are UTC everywhere (BadgesDbContext's converter); timestamptz wants Kind=Utc.
                parameters[i].Value = value is DateTime d ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : value ?? DBNull.Value;
            }
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
