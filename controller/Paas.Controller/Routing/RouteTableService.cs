using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paas.Contracts;
using Paas.Controller.Data;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Routing;

/// <summary>
/// Serves the route table to routers. Computed from the database (serving releases) and the
/// scheduler (ready web processes); cached briefly because every router polls it.
/// </summary>
public sealed class RouteTableService(IServiceScopeFactory scopes, IScheduler scheduler, IOptions<PlatformOptions> platform, TimeProvider clock)
    : IDisposable
{
    private static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(250);
    private readonly SemaphoreSlim computing = new(1, 1);
    private (RouteTable Table, long At, long Generation)? cached;
    private long generation;

    /// <summary>Makes the next request recompute (after a deploy, a scale or a destroy).</summary>
    public void Invalidate() => Interlocked.Increment(ref generation);

    public async Task<RouteTable> GetAsync(CancellationToken ct)
    {
        if (Fresh() is { } hit) return hit;
        await computing.WaitAsync(ct);
        try
        {
            if (Fresh() is { } again) return again;
            var started = clock.GetTimestamp();
            var startedGeneration = Interlocked.Read(ref generation);
            var table = await ComputeAsync(ct);
            cached = (table, started, startedGeneration);
            return table;
        }
        finally
        {
            computing.Release();
        }
    }

    public void Dispose() => computing.Dispose();

    private RouteTable? Fresh() =>
        cached is { } hit && hit.Generation == Interlocked.Read(ref generation) && clock.GetElapsedTime(hit.At) < Freshness
            ? hit.Table
            : null;

    private async Task<RouteTable> ComputeAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaasDbContext>();
        var domain = platform.Value.Domain;
        var apps = await db.Apps.AsNoTracking()
            .Select(a => new
            {
                a.Id,
                a.Name,
                Serving = db.Releases.Where(r => r.AppId == a.Id && r.State == ReleaseState.Succeeded && r.BuildId != null)
                    .OrderByDescending(r => r.Version).Select(r => (int?)r.Version).FirstOrDefault(),
                Settings = db.Settings.FirstOrDefault(s => s.AppId == a.Id),
            })
            .ToListAsync(ct);
        var hosts = (await db.Hostnames.AsNoTracking().ToListAsync(ct)).ToLookup(h => h.AppId);
        var routable = apps.Select(a => new RoutableApp(
            a.Name,
            a.Serving,
            hosts[a.Id].Select(h => h.FullName(domain)).ToList(),
            a.Settings?.Routable ?? true,
            a.Settings?.Maintenance ?? false,
            a.Settings?.Whitelist ?? [],
            a.Settings?.HttpsEnforced ?? false,
            a.Settings?.Services));

        var attached = hosts.SelectMany(g => g).Where(h => h.CertificateName is not null).ToLookup(h => h.CertificateName!);
        var certificates = await db.Certificates.AsNoTracking().Where(c => db.Hostnames.Any(h => h.CertificateName == c.Name)).ToListAsync(ct);
        var routeCertificates = certificates.Select(c => new RouteCertificate(c.Name,
            attached[c.Name].Select(h => h.FullName(domain)).Order(StringComparer.Ordinal).ToList(), c.CertificatePem, c.KeyPem));

        var processes = await scheduler.ListAsync(null, ct);
        return RouteTables.Compute(domain, routable, processes, routeCertificates, scheduler.Features.BalancedWebEndpoint);
    }
}
