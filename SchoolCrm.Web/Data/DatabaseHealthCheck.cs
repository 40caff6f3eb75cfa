using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SchoolCrm.Web.Data;

/// <summary>Healthy when the database answers a real query against a migrated table.</summary>
public sealed class DatabaseHealthCheck(IDbContextFactory<CrmDbContext> dbFactory, ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            await db.LeadStatuses.AnyAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
#pragma warning disable CA1031 // Any failure to query means "unhealthy"; the reason goes to the log.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "Health check: the database did not answer");
            return HealthCheckResult.Unhealthy("database");
        }
    }
}
