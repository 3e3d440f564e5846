using System.Data;
using System.Text.Json;
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

    /// <summary>The columns <see cref="InsertAsync"/> and the award's group write insert, in order (<see cref="Values"/>).</summary>
    public static readonly (string Column, DbType Type)[] Columns =
    [
        ("public_id", DbType.String), ("type", DbType.String), ("issuer_id", DbType.Int64), ("subject", DbType.String),
        ("payload_json", DbType.String), ("created_at", DbType.DateTime), ("attempts", DbType.Int32),
    ];

    public static readonly string Sql = RowInsert.Values("outbox_events", Columns.Select(c => c.Column));

    public static object?[] Values(OutboxEventEntity e) => [e.PublicId, e.Type, e.IssuerId, e.Subject, e.PayloadJson, e.CreatedAt, e.Attempts];

    /// <summary>
    /// Inserts <paramref name="events"/> with one reused statement on the context's current transaction
    /// (as the bulk award inserts its assertions): no change tracking, one round trip each.
    /// </summary>
    public static async Task InsertAsync(BadgesDbContext db, IReadOnlyCollection<OutboxEventEntity> events, CancellationToken ct)
    {
        if (events.Count == 0) { return; }
        await using var insert = RowInsert.OnCurrentTransaction(db, Sql, Columns);
        foreach (var e in events) { await insert.ExecuteAsync(ct, Values(e)); }
    }
}
