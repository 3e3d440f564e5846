using System.Data;
using System.Security.Claims;
using Requapass.Badges.Api.Auth;
using Requapass.Badges.Api.Infrastructure;
using Requapass.Badges.Data;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Api.Features.Audit;

/// <summary>An audited action's target: its type (<see cref="AuditTargets"/>), public id and issuer (internal key).</summary>
public sealed record AuditTarget(string Type, string PublicId, long? IssuerId);

/// <summary>
/// Writes the audit of staff actions, always in the transaction of the action (as <see cref="Issuance.Outbox"/>
/// writes events): <see cref="Record"/> stages an entry on the context for the action's SaveChanges, and
/// <see cref="InsertAsync"/> writes entries on the current transaction for actions made of bulk updates.
/// A rolled-back action leaves no entry; a committed one always has its entry. The actor is the caller
/// of the current request (its client id and role), "public" for an anonymous request, or "system" outside a request.
/// </summary>
public sealed class AuditTrail(BadgesDbContext db, IHttpContextAccessor http, TimeProvider clock)
{
    public const string System = "system";

    /// <summary>The actor of an anonymous request: whoever holds a volunteer's link or a claim code.</summary>
    public const string Public = "public";

    /// <summary>Stages one entry on the context: written by the action's next SaveChanges, in its transaction.</summary>
    public void Record(AuditAction action, AuditTarget target) => db.AuditEntries.Add(Entry(action, target, clock.GetUtcNow().UtcDateTime));

    /// <summary>The columns of an entry as <see cref="InsertAsync"/> and the award's group write insert them (<see cref="Values"/>).</summary>
    public static readonly (string Column, DbType Type)[] Columns =
    [
        ("public_id", DbType.String), ("actor_client_id", DbType.String), ("actor_role", DbType.String), ("action", DbType.String),
        ("target_type", DbType.String), ("target_id", DbType.String), ("issuer_id", DbType.Int64), ("created_at", DbType.DateTime),
    ];

    public static readonly string Sql = RowInsert.Values("audit_entries", Columns.Select(c => c.Column));

    public static object?[] Values(AuditEntryEntity e) => [e.PublicId, e.ActorClientId, e.ActorRole, e.Action, e.TargetType, e.TargetId, e.IssuerId, e.CreatedAt];

    /// <summary>An entry for the current request's caller, not staged: for a write made of hand-written inserts.</summary>
    public AuditEntryEntity NewEntry(AuditAction action, AuditTarget target) => Entry(action, target, clock.GetUtcNow().UtcDateTime);

    /// <summary>Inserts one entry per target on the context's current transaction, with one reused statement.</summary>
    public async Task InsertAsync(AuditAction action, IReadOnlyCollection<AuditTarget> targets, CancellationToken ct)
    {
        if (targets.Count == 0) { return; }
        await using var insert = RowInsert.OnCurrentTransaction(db, Sql, Columns);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var target in targets) { await insert.ExecuteAsync(ct, Values(Entry(action, target, now))); }
    }

    private AuditEntryEntity Entry(AuditAction action, AuditTarget target, DateTime now)
    {
        var user = http.HttpContext?.User;
        var clientId = user?.Identity?.IsAuthenticated == true ? user.FindFirstValue("sub") : null;
        if (clientId is not null) { return New(action, target, clientId, user!.FindFirstValue(Caller.RoleClaim) ?? Caller.StaffRole, now); }
        // An anonymous request (a volunteer erasing their data by their link, a claim by its code) is not the service's own doing.
        return http.HttpContext is null ? New(action, target, System, System, now) : New(action, target, Public, Public, now);
    }

    /// <summary>An entry by a named actor: for the service's own actions outside a request (actor and role "system").</summary>
    public static AuditEntryEntity New(AuditAction action, AuditTarget target, string actorClientId, string actorRole, DateTime now)
    {
        return new AuditEntryEntity
        {
            PublicId = PublicIds.New(),
            ActorClientId = actorClientId,
            ActorRole = actorRole,
            Action = AuditActions.Name(action),
            TargetType = target.Type,
            TargetId = target.PublicId,
            IssuerId = target.IssuerId,
            CreatedAt = now,
        };
    }
}
