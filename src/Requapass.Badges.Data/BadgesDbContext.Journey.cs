using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Data;

/// <summary>The REQUAPASS journey's tables (issue #13): skills maps, endorsements, applications.</summary>
public sealed partial class BadgesDbContext
{
    private static void ConfigureJourney(ModelBuilder b)
    {
        b.Entity<SkillsMapEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // The link finds its map by the token's hash alone.
            e.HasIndex(x => x.TokenHash).IsUnique();
            // A volunteer's maps (progress, access and erasure of their data).
            e.HasIndex(x => x.RecipientLookup);
        });
        b.Entity<SkillsMapExperienceEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => new { x.MapId, x.Position });
            e.HasOne<SkillsMapEntity>().WithMany().HasForeignKey(x => x.MapId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SkillsMapCompetenceEntity>(e =>
        {
            // One pick per competence and experience.
            e.HasIndex(x => new { x.ExperienceId, x.CompetenceKey }).IsUnique();
            e.HasOne<SkillsMapExperienceEntity>().WithMany().HasForeignKey(x => x.ExperienceId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<EndorsementEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // Stored by name ("issuer", "badge-class", "assertion"), as the API writes the kind.
            e.Property(x => x.TargetKind).HasConversion(v => EndorsementTargets.Name(v), s => EndorsementTargets.Parse(s));
            // The endorsed document lists its endorsements (not revoked) by this index.
            e.HasIndex(x => new { x.TargetKind, x.TargetPublicId, x.RevokedAt });
            // An issuer's own endorsements, newest first.
            e.HasIndex(x => new { x.IssuerId, x.Id });
            // One live endorsement per endorser and document, whatever races (a partial unique index).
            e.HasIndex(x => new { x.IssuerId, x.TargetKind, x.TargetPublicId }).IsUnique().HasFilter("revoked_at IS NULL");
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.TargetIssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<ApplicationEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // One open or approved application per map and class, whatever races (a rejected or withdrawn one may be followed by another).
            e.HasIndex(x => new { x.MapId, x.BadgeClassId }).IsUnique().HasFilter(ApplicationOpenFilter);
            // The review queue: an issuer's applications by status, newest first.
            e.HasIndex(x => new { x.IssuerId, x.Status, x.Id });
            e.HasIndex(x => x.BadgeClassId);
            e.HasIndex(x => x.AssertionId);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<BadgeClassEntity>().WithMany().HasForeignKey(x => x.BadgeClassId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne<SkillsMapEntity>().WithMany().HasForeignKey(x => x.MapId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(x => x.Assertion).WithMany().HasForeignKey(x => x.AssertionId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<DataAccessEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            e.HasIndex(x => x.TokenHash).IsUnique();
            // The per-address hourly cap counts an address's recent requests; erasure drops its links.
            e.HasIndex(x => new { x.RecipientLookup, x.CreatedAt });
            // Expired links are swept by this index.
            e.HasIndex(x => x.ExpiresAt);
        });
        b.Entity<ApplicationEventEntity>(e =>
        {
            e.HasIndex(x => new { x.ApplicationId, x.Id });
            e.HasOne(x => x.Application).WithMany().HasForeignKey(x => x.ApplicationId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}
