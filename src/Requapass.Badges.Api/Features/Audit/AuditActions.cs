namespace Requapass.Badges.Api.Features.Audit;

/// <summary>A staff action the audit records (audit_entries.action, by its <see cref="AuditActions.Name"/>).</summary>
public enum AuditAction
{
    AssertionAwarded,
    AssertionRevoked,
    BatchAwardStarted,
    ClaimApproved,
    ClaimRejected,
    ApplicationApproved,
    ApplicationRejected,
    ApplicationInfoRequested,
    /// <summary>A volunteer's data erased on request (GDPR, article 17): the erasure feature records it.</summary>
    Erasure,
    ClientCreated,
    ClientDisabled,
    SigningKeyRotated,
    CatalogueAdopted,
    WebhookCreated,
    WebhookDisabled,
    EndorsementIssued,
    EndorsementRevoked,
    CampaignCreated,
    CampaignClosed,
    AwardMailResent,
    /// <summary>A catalogue version applied at start (by the service itself: actor "system").</summary>
    CatalogueUpdated,
}

/// <summary>What an audited action was done to (audit_entries.target_type).</summary>
public static class AuditTargets
{
    public const string Assertion = "assertion";
    public const string BatchJob = "batch-job";
    public const string Claim = "claim";
    public const string Application = "application";
    public const string Client = "client";
    public const string SigningKey = "signing-key";
    public const string Issuer = "issuer";
    public const string Webhook = "webhook";
    public const string Endorsement = "endorsement";
    public const string Campaign = "claim-campaign";
    /// <summary>The RECTEC+ catalogue, named by the version applied.</summary>
    public const string Catalogue = "catalogue";
    /// <summary>An erasure's subject: the volunteer, named by no clear identity (the erasure's own public id).</summary>
    public const string Erasure = "erasure";
}

public static class AuditActions
{
    private static readonly Dictionary<AuditAction, string> Names = new()
    {
        [AuditAction.AssertionAwarded] = "assertion.award",
        [AuditAction.AssertionRevoked] = "assertion.revoke",
        [AuditAction.BatchAwardStarted] = "batch.start",
        [AuditAction.ClaimApproved] = "claim.approve",
        [AuditAction.ClaimRejected] = "claim.reject",
        [AuditAction.ApplicationApproved] = "application.approve",
        [AuditAction.ApplicationRejected] = "application.reject",
        [AuditAction.ApplicationInfoRequested] = "application.request-info",
        [AuditAction.Erasure] = "erasure",
        [AuditAction.ClientCreated] = "client.create",
        [AuditAction.ClientDisabled] = "client.disable",
        [AuditAction.SigningKeyRotated] = "signing-key.rotate",
        [AuditAction.CatalogueAdopted] = "catalogue.adopt",
        [AuditAction.WebhookCreated] = "webhook.create",
        [AuditAction.WebhookDisabled] = "webhook.disable",
        [AuditAction.EndorsementIssued] = "endorsement.issue",
        [AuditAction.EndorsementRevoked] = "endorsement.revoke",
        [AuditAction.CampaignCreated] = "claim-campaign.create",
        [AuditAction.CampaignClosed] = "claim-campaign.close",
        [AuditAction.AwardMailResent] = "assertion.resend-email",
        [AuditAction.CatalogueUpdated] = "catalogue.update",
    };

    private static readonly Dictionary<string, AuditAction> ByName = Names.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> All => Names.Values;

    public static string Name(AuditAction action) => Names[action];

    public static AuditAction? Parse(string? name) => name is not null && ByName.TryGetValue(name, out var a) ? a : null;
}
