using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Paas.Controller.Data;

/// <summary>/healthz fails while the database cannot be reached.</summary>
public sealed class DatabaseHealthCheck(PaasDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("PostgreSQL is not reachable");
}
