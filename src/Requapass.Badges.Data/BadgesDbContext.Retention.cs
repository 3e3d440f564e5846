using Microsoft.EntityFrameworkCore;
using Requapass.Badges.Data.Entities;

namespace Requapass.Badges.Data;

/// <summary>The audit of staff actions and the retention sweep's tables and indexes (issue #15, migration 0020).</summary>
public sealed partial class BadgesDbContext
{
    private static void ConfigureRetention(ModelBuilder b)
    {
        b.Entity<AuditEntryEntity>(e =>
        {
            e.HasIndex(x => x.PublicId).IsUnique();
            e.Property(x => x.PublicId).HasMaxLength(40);
            // The admin's read: one issuer's entries, newest first.
            e.HasIndex(x => new { x.IssuerId, x.Id });
            // The retention sweep deletes the oldest.
            e.HasIndex(x => x.CreatedAt);
            e.HasOne<IssuerEntity>().WithMany().HasForeignKey(x => x.IssuerId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<WorkerLeaseEntity>(e => e.HasKey(x => x.Name));
        // The retention sweep finds maps unused for long, and decided applications, by these.
        b.Entity<SkillsMapEntity>().HasIndex(x => x.LastUsedAt);
        b.Entity<ApplicationEntity>().HasIndex(x => new { x.Status, x.DecidedAt });
    }
}
