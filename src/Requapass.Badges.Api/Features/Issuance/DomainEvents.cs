using System.Data;
using System.Data.Common;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Issuance;

/// <summary>The moments of a badge's life that other parts of the system react to.</summary>
public static class EventTypes
{
    public const string AssertionAwarded = "assertion.awarded";
    public const string AssertionRevoked = "assertion.revoked";
    public const string AssertionExpired = "assertion.expired";
    public const string BatchCompleted = "batch.completed";
    public const string ClaimReceived = "claim.received";
    public const string ClaimApproved = "claim.approved";
    public const string ClaimRejected = "claim.rejected";
    public const string EndorsementIssued = "endorsement.issued";
    public const string EndorsementRevoked = "endorsement.revoked";

    public const string ApplicationSubmitted = "application.submitted";
    public const string ApplicationInfoRequested = "application.info-requested";
    public const string ApplicationDecided = "application.decided";
    public const string ApplicationWithdrawn = "application.withdrawn";

    public static readonly IReadOnlyList<string> All =
    [
        AssertionAwarded, AssertionRevoked, AssertionExpired, BatchCompleted, ClaimReceived, ClaimApproved, ClaimRejected,
        EndorsementIssued, EndorsementRevoked, ApplicationSubmitted, ApplicationInfoRequested, ApplicationDecided, ApplicationWithdrawn,
    ];
}

/// <summary>
/// Writes domain events into the outbox, always inside the transaction of the change they announce
/// (ARCHITECTURE.md, flow 6): the event exists exactly when the change does. Payloads hold public ids
/// and facts, never a recipient's clear identity.
/// </summary>
public static class Outbox
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static OutboxEventEntity New(string type, long issuerId, string subject, object payload, DateTime at) => new()
    {
        PublicId = PublicIds.New(), Type = type, IssuerId = issuerId, Subject = subject,
        PayloadJson = JsonSerializer.Serialize(payload, Json), CreatedAt = at, Attempts = 0,
    };

    /// <summary>
    /// Inserts <paramref name="events"/> with one reused statement on the context's current transaction
    /// (as the bulk award inserts its assertions): no change tracking, one round trip each.
    /// </summary>
    public static async Task InsertAsync(BadgesDbContext db, IReadOnlyCollection<OutboxEventEntity> events, CancellationToken ct)
    {
        if (events.Count == 0) { return; }
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Events are written inside the change's transaction.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO outbox_events (public_id, type, issuer_id, subject, payload_json, created_at, attempts) "
            + "VALUES (@public_id, @type, @issuer_id, @subject, @payload_json, @created_at, 0)";
        var p = new[]
        {
            Parameter(command, "@public_id", DbType.String), Parameter(command, "@type", DbType.String),
            Parameter(command, "@issuer_id", DbType.Int64), Parameter(command, "@subject", DbType.String),
            Parameter(command, "@payload_json", DbType.String), Parameter(command, "@created_at", DbType.DateTime),
        };
        foreach (var e in events)
        {
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value) =
                (e.PublicId, e.Type, e.IssuerId, e.Subject, e.PayloadJson, DateTime.SpecifyKind(e.CreatedAt, DateTimeKind.Utc));
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.DbType) = (name, type);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
