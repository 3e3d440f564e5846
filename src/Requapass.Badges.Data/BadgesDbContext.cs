using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Requapass.Badges.Data.Entities;
using Requapass.Badges.Core.OpenBadges;

namespace Requapass.Badges.Data;

public sealed partial class BadgesDbContext(DbContextOptions<BadgesDbContext> options) : DbContext(options)
{
    public DbSet<IssuerEntity> Issuers => Set<IssuerEntity>();
    public DbSet<BadgeClassEntity> BadgeClasses => Set<BadgeClassEntity>();
    public DbSet<AssertionEntity> Assertions => Set<AssertionEntity>();
    public DbSet<StoredImageEntity> Images => Set<StoredImageEntity>();
    public DbSet<ApiClientEntity> ApiClients => Set<ApiClientEntity>();
    public DbSet<IdempotencyRecordEntity> IdempotencyRecords => Set<IdempotencyRecordEntity>();
    public DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();
    public DbSet<BatchJobEntity> BatchJobs => Set<BatchJobEntity>();
    public DbSet<OutboxEventEntity> OutboxEvents => Set<OutboxEventEntity>();
    public DbSet<CatalogueVersionEntity> CatalogueVersions => Set<CatalogueVersionEntity>();
    public DbSet<WebhookEndpointEntity> WebhookEndpoints => Set<WebhookEndpointEntity>();
    public DbSet<WebhookDeliveryEntity> WebhookDeliveries => Set<WebhookDeliveryEntity>();
    public DbSet<AwardMailRequestEntity> AwardMailRequests => Set<AwardMailRequestEntity>();
    public DbSet<AwardMailEntity> AwardMails => Set<AwardMailEntity>();
    public DbSet<ClaimCampaignEntity> ClaimCampaigns => Set<ClaimCampaignEntity>();
    public DbSet<ClaimCodeEntity> ClaimCodes => Set<ClaimCodeEntity>();
    public DbSet<ClaimEntity> Claims => Set<ClaimEntity>();
    public DbSet<SkillsMapEntity> SkillsMaps => Set<SkillsMapEntity>();
    public DbSet<SkillsMapExperienceEntity> SkillsMapExperiences => Set<SkillsMapExperienceEntity>();
    public DbSet<SkillsMapCompetenceEntity> SkillsMapCompetences => Set<SkillsMapCompetenceEntity>();
    public DbSet<ApplicationEntity> Applications => Set<ApplicationEntity>();
    public DbSet<ApplicationEventEntity> ApplicationEvents => Set<ApplicationEventEntity>();
    public DbSet<ExpiryReminderEntity> ExpiryReminders => Set<ExpiryReminderEntity>();
    public DbSet<EndorsementEntity> Endorsements => Set<EndorsementEntity>();
    public DbSet<VerificationCountEntity> VerificationCounts => Set<VerificationCountEntity>();
    public DbSet<DataAccessEntity> DataAccesses => Set<DataAccessEntity>();
    public DbSet<AuditEntryEntity> AuditEntries => Set<AuditEntryEntity>();
    public DbSet<WorkerLeaseEntity> WorkerLeases => Set<WorkerLeaseEntity>();
    public DbSet<StatisticsCellEntity> StatisticsCells => Set<StatisticsCellEntity>();

    /// <summary>The statuses that hold a map's place for a class (migration 0014's partial index).</summary>
    public const string ApplicationOpenFilter = "status IN ('pending', 'info-requested', 'approved')";

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every instant is UTC. SQLite hands DateTime back as Unspecified; Npgsql insists on Utc for
        // timestamptz. Marking Kind on the way in and out makes both providers agree.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcConverter>();
        // The verification type is stored by its Open Badges name ("hosted", "signed").
        configurationBuilder.Properties<VerificationType>().HaveConversion<VerificationTypeConverter>();
        configurationBuilder.Properties<Requapass.Badges.Core.Catalogue.LevelRule>().HaveConversion<LevelRuleConverter>();
    }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<IssuerEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasOne(x => x.Image).WithMany().HasForeignKey(x => x.ImageId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<BadgeClassEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.IssuerId, x.CatalogueCode }).IsUnique();
            e.HasOne(x => x.Issuer).WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.PngImage).WithMany().HasForeignKey(x => x.PngImageId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.SvgImage).WithMany().HasForeignKey(x => x.SvgImageId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AssertionEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.IssuerId, x.Id });
            e.HasIndex(x => new { x.BadgeClassId, x.Id });
            e.HasIndex(x => new { x.RecipientLookup, x.Id });
            e.HasOne(x => x.BadgeClass).WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.SigningKey).WithMany().HasForeignKey(x => x.SigningKeyId).OnDelete(DeleteBehavior.Restrict);
            // The revocation list reads an issuer's revoked signed badges.
            e.HasIndex(x => new { x.IssuerId, x.RevokedAt });
            // The verifier asks whether a signed badge (named by its urn:uuid) is revoked.
            e.HasIndex(x => x.Uuid);
            // A bulk award job lists the assertions it made, by line.
            e.HasIndex(x => new { x.BatchJobId, x.BatchLine });
            e.HasOne<BatchJobEntity>().WithMany().HasForeignKey(x => x.BatchJobId).OnDelete(DeleteBehavior.Restrict);
            // The expiry sweeper looks for expired assertions not yet announced.
            e.HasIndex(x => new { x.ExpiryAnnouncedAt, x.Expires });
            // Staff list an issuer's badges that expire soon, soonest first.
            e.HasIndex(x => new { x.IssuerId, x.Expires });
            // Statistics (migration 0018): an issuer's awards by month of issue.
            e.HasIndex(x => new { x.IssuerId, x.IssuedOn });
        });
        b.Entity<VerificationCountEntity>(e =>
        {
            e.HasKey(x => new { x.BadgeClassId, x.Month });
            e.HasOne<BadgeClassEntity>().WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<StatisticsCellEntity>(e => e.HasKey(x => new { x.Scope, x.Measure, x.Breakdown, x.Month, x.Key }));
        b.Entity<OutboxEventEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // The dispatcher reads pending events in order.
            e.HasIndex(x => new { x.DispatchedAt, x.Id });
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<WebhookEndpointEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.IssuerId, x.Active });
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<WebhookDeliveryEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // One delivery per event and endpoint, whatever happens to the dispatcher.
            e.HasIndex(x => new { x.EndpointId, x.EventId }).IsUnique();
            // The delivery worker looks for due ones.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasOne<WebhookEndpointEntity>().WithMany().HasForeignKey(x => x.EndpointId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<OutboxEventEntity>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AwardMailRequestEntity>(e =>
        {
            e.HasKey(x => x.AssertionId);
            e.HasOne(x => x.Assertion).WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<AwardMailEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // One award mail per assertion.awarded event, whatever happens to the dispatcher.
            e.HasIndex(x => x.EventId).IsUnique();
            // The mail worker looks for due ones.
            e.HasIndex(x => new { x.Status, x.NextAttemptAt });
            e.HasOne<AssertionEntity>().WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<OutboxEventEntity>().WithMany().HasForeignKey(x => x.EventId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ClaimEntity>().WithMany().HasForeignKey(x => x.ClaimId).OnDelete(DeleteBehavior.Restrict);
            // A skills map's link mail goes with its map (the owner's erasure leaves no address behind).
            e.HasOne<SkillsMapEntity>().WithMany().HasForeignKey(x => x.SkillsMapId).OnDelete(DeleteBehavior.Cascade);
            // An application's mail goes with it (the map's owner deleted their data, unsent mails included).
            e.HasOne(x => x.ApplicationEvent).WithMany().HasForeignKey(x => x.ApplicationEventId).OnDelete(DeleteBehavior.Cascade);
            // A data access link's mail goes with its access row (expired or spent, no address stays behind).
            e.HasOne<DataAccessEntity>().WithMany().HasForeignKey(x => x.DataAccessId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ClaimCampaignEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // An issuer's campaigns, newest first.
            e.HasIndex(x => new { x.IssuerId, x.Id });
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<BadgeClassEntity>().WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ClaimCodeEntity>(e =>
        {
            // A claim finds its code by hash alone, whatever the campaign.
            e.HasIndex(x => x.CodeHash).IsUnique();
            e.HasIndex(x => new { x.CampaignId, x.Number }).IsUnique();
            e.HasOne<ClaimCampaignEntity>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ClaimEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // One claim per address and campaign: claiming again finds it (and two at once: one is stored).
            e.HasIndex(x => new { x.CampaignId, x.RecipientLookup }).IsUnique();
            // A single-use code makes one claim, whatever races.
            e.HasIndex(x => x.CodeId).IsUnique();
            // The review queue: an issuer's claims by status.
            e.HasIndex(x => new { x.IssuerId, x.Status, x.Id });
            e.HasOne<ClaimCampaignEntity>().WithMany().HasForeignKey(x => x.CampaignId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<ClaimCodeEntity>().WithMany().HasForeignKey(x => x.CodeId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.Assertion).WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Restrict);
        });
        ConfigureJourney(b);
        ConfigureRetention(b);
        b.Entity<ExpiryReminderEntity>(e =>
        {
            e.HasKey(x => x.AssertionId);
            e.HasOne(x => x.Assertion).WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Restrict);
            // The reminder scan looks for due ones.
            e.HasIndex(x => x.DueAt);
        });
        b.Entity<BatchJobEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.ClientId, x.IdempotencyKey }).IsUnique();
            // The worker looks for unfinished jobs.
            e.HasIndex(x => new { x.Status, x.LeaseUntil });
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<BadgeClassEntity>().WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<SigningKeyEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.IssuerId, x.Thumbprint }).IsUnique();
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ApiClientEntity>(e =>
        {
            e.HasIndex(x => x.ClientId).IsUnique();
            e.HasOne(x => x.Issuer).WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.BadgeClass).WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<IdempotencyRecordEntity>(e =>
        {
            e.HasKey(x => new { x.ClientId, x.Key });
            e.HasOne<AssertionEntity>().WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Cascade);
        });
        ApplySnakeCase(b);
    }

    /// <summary>Tables and columns in snake_case, so hand-written SQL and psql read naturally.</summary>
    private static void ApplySnakeCase(ModelBuilder b)
    {
        var entities = b.Model.GetEntityTypes().ToList();
        // Tables first, so that key, foreign-key and index names are derived from the final names.
        foreach (var entity in entities)
        {
            var clr = entity.ClrType.Name;
            var table = Snake(clr.EndsWith("Entity", StringComparison.Ordinal) ? clr[..^6] : clr);
            entity.SetTableName(Plural(table == "stored_image" ? "image" : table));
            foreach (var p in entity.GetProperties())
            {
                p.SetColumnName(Snake(p.Name));
            }
        }
        foreach (var entity in entities)
        {
            foreach (var k in entity.GetKeys())
            {
                k.SetName(Snake(k.GetName()!));
            }
            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(Snake(fk.GetConstraintName()!));
            }
            foreach (var ix in entity.GetIndexes())
            {
                ix.SetDatabaseName(Snake(ix.GetDatabaseName()!));
            }
        }
    }

    private static string Plural(string name) =>
        name.EndsWith('y') && name.Length > 1 && !"aeiou".Contains(name[^2]) ? name[..^1] + "ies"
        : name.EndsWith('s') ? name + "es" : name + "s";

    private static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && !char.IsUpper(name[i - 1])) { sb.Append('_'); }
                sb.Append(char.ToLowerInvariant(c));
            }
            else { sb.Append(c); }
        }
        return sb.ToString();
    }

    private sealed class UtcConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : DateTime.SpecifyKind(v.ToUniversalTime(), DateTimeKind.Utc),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}

/// <summary>Stores <see cref="VerificationType"/> as "hosted" or "signed".</summary>
public sealed class VerificationTypeConverter() : ValueConverter<VerificationType, string>(
    v => v.Name(), s => VerificationTypes.Parse(s) ?? VerificationType.Hosted);

/// <summary>Stores <see cref="Requapass.Badges.Core.Catalogue.LevelRule"/> as "advisory" or "strict".</summary>
public sealed class LevelRuleConverter() : ValueConverter<Requapass.Badges.Core.Catalogue.LevelRule, string>(
    v => Requapass.Badges.Core.Catalogue.LevelRules.Name(v), s => Requapass.Badges.Core.Catalogue.LevelRules.Parse(s) ?? Requapass.Badges.Core.Catalogue.LevelRule.Advisory);
