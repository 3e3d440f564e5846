using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Requapass.Badges.Data;

namespace Requapass.Badges.Api.Health;

/// <summary>Ready means the store answers and its schema is there: one cheap query on a real table.</summary>
public sealed class DatabaseHealthCheck(BadgesDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            // Any, not First: EF Core warns about First without OrderBy, and EXISTS needs no row at all.
            await db.Issuers.AnyAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The database is unreachable or not migrated.");
        }
    }
}
