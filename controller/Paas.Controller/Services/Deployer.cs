using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paas.Controller.Data;
using Paas.Controller.Routing;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Services;

/// <summary>
/// Puts releases live through the scheduler: start the new processes, wait until they are ready,
/// switch the route (the release becomes the serving one), and after a short drain stop the old
/// processes. A release whose processes never become ready is marked failed and the previous release
/// keeps serving. Callers hold the app's lock (<see cref="AppLocks"/>), so deploys of one app never overlap.
/// </summary>
public sealed class Deployer(
    PaasDbContext db,
    IScheduler scheduler,
    RouteTableService routes,
    Retirements retirements,
    Activity activity,
    TimeProvider clock,
    IOptions<PlatformOptions> platform,
    ILogger<Deployer> logger)
{
    public sealed record Outcome(bool Succeeded, string? Failure);

    /// <summary>Deploys a pending release (the app's lock is held by the caller).</summary>
    public async Task<Outcome> DeployLockedAsync(App app, Release release, CancellationToken ct)
    {
        if (release.State == ReleaseState.Succeeded) return new Outcome(true, null);
        if (release.State == ReleaseState.Failed) return new Outcome(false, release.Failure);

        var spec = await SpecAsync(app, release, ct);
        if (spec is not null)
        {
            try
            {
                await scheduler.DeployAsync(spec, ct);
            }
            catch (DeploymentFailedException e)
            {
                release.MarkFailed(e.Message, clock.GetUtcNow());
                activity.Record(app.Name, release.Owner, "release", $"v{release.Version} failed to start: {FirstLine(e.Message)}");
                await db.SaveChangesAsync(CancellationToken.None);
                var serving = await ServingVersionAsync(app, CancellationToken.None);
                await RestoreServingAsync(app, serving);
                await scheduler.RetireAsync(app.Name, serving, CancellationToken.None);
                logger.LogWarning("{App} v{Version} failed to deploy; v{Serving} keeps serving: {Reason}", app.Name, release.Version, serving, e.Message);
                return new Outcome(false, e.Message);
            }
        }
        release.MarkSucceeded(clock.GetUtcNow());
        await db.SaveChangesAsync(CancellationToken.None);
        routes.Invalidate();
        logger.LogInformation("{App} v{Version} is live", app.Name, release.Version);
        retirements.Schedule(app.Name, release.Version);
        return new Outcome(true, null);
    }

    /// <summary>
    /// After a failed deploy, puts the serving release back where the failed one replaced it in place: a Kubernetes
    /// Deployment rolls back to the serving release's pods (Deis's "force-redeploy the previous release"). On Docker
    /// the serving containers never stopped, so this finds nothing to do. Best effort: the reconciler repeats it.
    /// </summary>
    private async Task RestoreServingAsync(App app, int serving)
    {
        if (serving == 0) return;
        try
        {
            var release = await db.Releases.SingleAsync(r => r.AppId == app.Id && r.Version == serving, CancellationToken.None);
            if (await SpecAsync(app, release, CancellationToken.None) is { } spec) await scheduler.DeployAsync(spec, CancellationToken.None);
        }
        catch (Exception e) when (e is DeploymentFailedException or SchedulerUnavailableException)
        {
            logger.LogWarning("Could not bring {App} v{Serving} back after the failed deploy; the next reconcile will try again: {Reason}",
                app.Name, serving, e.Message);
        }
    }

    /// <summary>
    /// Brings the serving release to the app's current formation (after a scale, or to repair drift);
    /// with <paramref name="retireOthers"/> processes of any other release stop too. The caller holds the lock.
    /// </summary>
    public async Task DeployServingLockedAsync(App app, bool retireOthers, CancellationToken ct)
    {
        var release = await ServingAsync(app, ct);
        var spec = await SpecAsync(app, release, ct);
        if (spec is not null) await scheduler.DeployAsync(spec, ct);
        if (retireOthers) await scheduler.RetireAsync(app.Name, release.Version, ct);
        routes.Invalidate();
    }

    /// <summary>What the serving release runs, or null when it has no build yet.</summary>
    public async Task<DeploymentSpec?> ServingSpecAsync(App app, CancellationToken ct) => await SpecAsync(app, await ServingAsync(app, ct), ct);

    private Task<Release> ServingAsync(App app, CancellationToken ct) =>
        db.Releases.Where(r => r.AppId == app.Id && r.State == ReleaseState.Succeeded).OrderByDescending(r => r.Version).FirstAsync(ct);

    private async Task<int> ServingVersionAsync(App app, CancellationToken ct) =>
        await db.Releases.Where(r => r.AppId == app.Id && r.State == ReleaseState.Succeeded)
            .OrderByDescending(r => r.Version).Select(r => r.Version).FirstOrDefaultAsync(ct);

    private async Task<DeploymentSpec?> SpecAsync(App app, Release release, CancellationToken ct)
    {
        if (release.BuildId is not { } buildId) return null;
        var build = await db.Builds.SingleAsync(b => b.Id == buildId, ct);
        var config = await db.Configs.SingleAsync(c => c.Id == release.ConfigId, ct);
        // Autoscaling and services are settings, not part of the release: a release runs with those in force when it deploys.
        var settings = await db.Settings.AsNoTracking().SingleOrDefaultAsync(s => s.AppId == app.Id, ct);
        var domains = await db.Hostnames.AsNoTracking().Where(h => h.AppId == app.Id).Select(h => h.Name).ToListAsync(ct);
        return DeploymentSpecs.For(app, release, build, config, scheduler.Features.Autoscaling ? settings?.Autoscale : null,
            domains.Select(d => d.Contains('.', StringComparison.Ordinal) ? d : $"{d}.{platform.Value.Domain}").Order(StringComparer.Ordinal).ToList(),
            settings?.Services.Keys);
    }

    private static string FirstLine(string text) => text.Split('\n')[0];
}

/// <summary>What the scheduler is asked to run for a release: a pure mapping, tested on its own.</summary>
public static class DeploymentSpecs
{
    /// <param name="autoscale">Autoscaling rules by process type (app settings), for backends that autoscale.</param>
    /// <param name="domains">Full host names that reach the app.</param>
    /// <param name="routedTypes">Process types the app's services route requests to.</param>
    public static DeploymentSpec For(App app, Release release, Build build, Config config,
        IReadOnlyDictionary<string, Autoscale>? autoscale = null, IReadOnlyList<string>? domains = null,
        IEnumerable<string>? routedTypes = null)
    {
        var processes = build.ProcessTypes
            .Order(StringComparer.Ordinal)
            .Select(type => new ProcessSpec(
                type,
                build.CommandFor(type),
                app.Structure.GetValueOrDefault(type),
                LimitsFor(config, type),
                config.HealthcheckFor(type),
                config.TerminationGracePeriod.TryGetValue(type, out var grace) ? grace : null,
                autoscale?.GetValueOrDefault(type)))
            .ToList();
        return new DeploymentSpec(app.Name, release.Version, build.Image, Environment(app, release, build, config), processes,
            config.Tags.Count == 0 ? null : new Dictionary<string, string>(config.Tags, StringComparer.Ordinal),
            RegistryCredentials.From(config.Registry),
            domains is { Count: > 0 } ? domains : null,
            routedTypes?.Where(build.ProcessTypes.Contains).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } routed ? routed : null);
    }

    /// <summary>The environment every process of the release gets: the config plus what the platform sets.</summary>
    public static Dictionary<string, string> Environment(App app, Release release, Build build, Config config)
    {
        var environment = new Dictionary<string, string>(config.Values, StringComparer.Ordinal)
        {
            ["PORT"] = DeploymentSpec.WebPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_APP"] = app.Name,
            ["PAAS_RELEASE"] = $"v{release.Version}",
        };
        if (build.Sha is not null) environment["SOURCE_VERSION"] = build.Sha;
        return environment;
    }

    public static ResourceLimits? LimitsFor(Config config, string type)
    {
        long? memory = config.Memory.TryGetValue(type, out var m) ? Limits.MemoryBytes(m) : null;
        int? cpu = config.Cpu.TryGetValue(type, out var c) ? Limits.CpuMillis(c) : null;
        return memory is null && cpu is null ? null : new ResourceLimits(memory, cpu);
    }
}

/// <summary>
/// Stops a release's predecessors once routers have had time to switch to it. Runs in the
/// background after the deploy answered; skipped if a newer release went live meanwhile.
/// </summary>
public sealed class Retirements(
    IServiceScopeFactory scopes,
    IScheduler scheduler,
    IOptions<PlatformOptions> platform,
    ILogger<Retirements> logger)
{
    public void Schedule(string app, int version) => _ = RetireLaterAsync(app, version);

    private async Task RetireLaterAsync(string app, int version)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(platform.Value.DrainSeconds));
            using var scope = scopes.CreateScope();
            var locks = scope.ServiceProvider.GetRequiredService<AppLocks>();
            var db = scope.ServiceProvider.GetRequiredService<PaasDbContext>();
            await using var held = await locks.AcquireAsync(app, CancellationToken.None);
            var serving = await db.Releases
                .Where(r => db.Apps.Any(a => a.Id == r.AppId && a.Name == app) && r.State == ReleaseState.Succeeded)
                .OrderByDescending(r => r.Version).Select(r => (int?)r.Version).FirstOrDefaultAsync();
            if (serving != version) return; // destroyed, or a newer release took over and retires for itself
            await scheduler.RetireAsync(app, version, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not stop the old processes of {App} (v{Version} is live); the next reconcile will", app, version);
        }
    }
}
