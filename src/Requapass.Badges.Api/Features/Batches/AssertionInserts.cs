using System.Data;
using Requapass.Badges.Api.Infrastructure;
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
public static class AssertionInserts
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

    public static readonly string Sql = RowInsert.Values("assertions", Columns.Select(c => c.Column));

    public static readonly (string Column, DbType Type)[] Parameters = [.. Columns.Select(c => (c.Column, c.Type))];

    public static object?[] Values(AssertionEntity assertion) => [.. Columns.Select(c => c.Value(assertion))];

    public static async Task InsertAsync(BadgesDbContext db, IReadOnlyList<AssertionEntity> assertions, CancellationToken ct)
    {
        await using var insert = RowInsert.OnCurrentTransaction(db, Sql, Parameters);
        foreach (var assertion in assertions) { await insert.ExecuteAsync(ct, Values(assertion)); }
    }
}
