using System.Data;
using System.Data.Common;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
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

    /// <summary>Inserts one entry per target on the context's current transaction, with one reused statement.</summary>
    public async Task InsertAsync(AuditAction action, IReadOnlyCollection<AuditTarget> targets, CancellationToken ct)
    {
        if (targets.Count == 0) { return; }
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("Audit entries are written inside the action's transaction.");
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO audit_entries (public_id, actor_client_id, actor_role, action, target_type, target_id, issuer_id, created_at) "
            + "VALUES (@public_id, @actor_client_id, @actor_role, @action, @target_type, @target_id, @issuer_id, @created_at)";
        var p = new[]
        {
            Parameter(command, "@public_id", DbType.String), Parameter(command, "@actor_client_id", DbType.String),
            Parameter(command, "@actor_role", DbType.String), Parameter(command, "@action", DbType.String),
            Parameter(command, "@target_type", DbType.String), Parameter(command, "@target_id", DbType.String),
            Parameter(command, "@issuer_id", DbType.Int64), Parameter(command, "@created_at", DbType.DateTime),
        };
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var target in targets)
        {
            var e = Entry(action, target, now);
            (p[0].Value, p[1].Value, p[2].Value, p[3].Value, p[4].Value, p[5].Value, p[6].Value, p[7].Value) =
                (e.PublicId, e.ActorClientId, e.ActorRole, e.Action, e.TargetType, e.TargetId, (object?)e.IssuerId ?? DBNull.Value, DateTime.SpecifyKind(now, DateTimeKind.Utc));
            await command.ExecuteNonQueryAsync(ct);
        }
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

    private static DbParameter Parameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        (parameter.ParameterName, parameter.DbType) = (name, type);
        command.Parameters.Add(parameter);
        return parameter;
    }
}
