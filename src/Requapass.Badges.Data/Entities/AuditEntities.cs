namespace Requapass.Badges.Data.Entities;

/// <summary>
/// One staff action, written in the transaction of the action itself (issue #15): who (the API client
/// and its role at the time), what (<see cref="Action"/>), to what (<see cref="TargetType"/> and its
/// public id), for which issuer, when. Public ids only: never a recipient's clear identity. Read by
/// platform admins; deleted after Retention:AuditDays.
/// </summary>
public sealed class AuditEntryEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    /// <summary>The API client's id (the token's subject), or "system" for the service's own work.</summary>
    public required string ActorClientId { get; set; }
    /// <summary>admin, staff, game or system.</summary>
    public required string ActorRole { get; set; }
    /// <summary>The action's name (AuditActions), e.g. assertion.award.</summary>
    public required string Action { get; set; }
    /// <summary>assertion, batch-job, claim, application, client, webhook, signing-key, issuer, badge-class, skills-map...</summary>
    public required string TargetType { get; set; }
    /// <summary>The target's public id (an API client's client id for a client).</summary>
    public required string TargetId { get; set; }
    /// <summary>The issuer the action was for; null for platform actions (an admin client, a skills map).</summary>
    public long? IssuerId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>
/// A named lease one node holds at a time on a piece of periodic work (the retention sweep): taken by
/// a conditional update (free, or expired), given back when the round ends.
/// </summary>
public sealed class WorkerLeaseEntity
{
    public required string Name { get; set; }
    public string? Holder { get; set; }
    public DateTime? LeaseUntil { get; set; }
}
