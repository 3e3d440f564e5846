namespace Requapass.Badges.Data.Entities;

/// <summary>What an endorsement is about: one of this service's issuer profiles, badge classes or hosted assertions.</summary>
public enum EndorsementTarget
{
    Issuer,
    BadgeClass,
    Assertion,
}

/// <summary>
/// An Open Badges 2.0 Endorsement made by one issuer (<see cref="IssuerId"/>, the endorser) about
/// another issuer's profile, badge class or assertion, named by its kind and public id (issue #13,
/// part 4). Hosted at /public/endorsements/{PublicId}; revoked, it answers 410 and leaves the endorsed
/// document's <c>endorsement</c> list. The comment is public (it is the claim's endorsementComment).
/// </summary>
public sealed class EndorsementEntity
{
    public long Id { get; set; }
    public required string PublicId { get; set; }
    public long IssuerId { get; set; }
    public EndorsementTarget TargetKind { get; set; }
    public required string TargetPublicId { get; set; }
    /// <summary>The issuer that owns the endorsed document (never <see cref="IssuerId"/>: no self-endorsement).</summary>
    public long TargetIssuerId { get; set; }
    public required string Comment { get; set; }
    public DateTime IssuedOn { get; set; }
    public DateTime? RevokedAt { get; set; }
    public string? RevocationReason { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>The names the API and the stores use for <see cref="EndorsementTarget"/>.</summary>
public static class EndorsementTargets
{
    public static string Name(EndorsementTarget target) => target switch
    {
        EndorsementTarget.Issuer => "issuer",
        EndorsementTarget.BadgeClass => "badge-class",
        _ => "assertion",
    };

    public static EndorsementTarget Parse(string name) => name switch
    {
        "issuer" => EndorsementTarget.Issuer,
        "badge-class" => EndorsementTarget.BadgeClass,
        _ => EndorsementTarget.Assertion,
    };
}
