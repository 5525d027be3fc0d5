using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paas.Controller.Data;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Services;

/// <summary>
/// Makes what runs match what should run: at start and then periodically. Each app's serving
/// release runs with its formation; processes of other releases and of apps that no longer exist
/// are stopped; releases left pending by a controller that stopped mid-deploy are marked failed.
/// Deploying the serving release again is how drift is repaired: on Docker missing containers start,
/// on Kubernetes the release's objects are applied again (a deleted Deployment comes back, a hand-changed
/// replica count goes back), and the scheduler logs what it had to put back.
/// </summary>
public sealed class Reconciler(IServiceScopeFactory scopes, IScheduler scheduler, IOptions<PlatformOptions> platform,
    TimeProvider clock, ILogger<Reconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Reconciling apps failed; retrying later");
            }
            await Task.Delay(TimeSpan.FromSeconds(platform.Value.ReconcileSeconds), clock, stoppingToken).ContinueWith(_ => { }, CancellationToken.None);
        }
    }

    public async Task ReconcileAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaasDbContext>();
        var locks = scope.ServiceProvider.GetRequiredService<AppLocks>();
        var deployer = scope.ServiceProvider.GetRequiredService<Deployer>();

        var apps = await db.Apps.ToListAsync(ct);
        var known = apps.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var stray in (await scheduler.AppsAsync(ct)).Where(a => !known.Contains(a)))
        {
            logger.LogInformation("Stopping processes of {App}, which no longer exists", stray);
            await scheduler.DestroyAsync(stray, ct);
        }

        foreach (var app in apps)
        {
            try
            {
                await using var held = await locks.AcquireAsync(app.Name, ct);
                await FailOrphanedReleasesAsync(db, app, ct);
                await deployer.DeployServingLockedAsync(app, retireOthers: true, ct);
            }
            catch (Exception e) when (e is DeploymentFailedException or PaasException)
            {
                logger.LogWarning("{App} does not run as it should: {Reason}", app.Name, e.Message);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                // One app's trouble (or a backend that refused one call) must not keep the others from being reconciled.
                logger.LogWarning(e, "Reconciling {App} failed; trying again next time", app.Name);
            }
        }
    }

    /// <summary>A deploy in progress holds the app's lock; once we hold it, a pending release is an orphan.</summary>
    private async Task FailOrphanedReleasesAsync(PaasDbContext db, App app, CancellationToken ct)
    {
        foreach (var release in await db.Releases.Where(r => r.AppId == app.Id && r.State == ReleaseState.Pending).ToListAsync(ct))
        {
            release.MarkFailed("The controller stopped before this release finished deploying.", clock.GetUtcNow());
            logger.LogWarning("{App} v{Version} was left pending by a stopped controller; marked failed", app.Name, release.Version);
        }
        await db.SaveChangesAsync(ct);
    }
}
