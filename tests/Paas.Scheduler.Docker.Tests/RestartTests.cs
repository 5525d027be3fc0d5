using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Docker.Tests.Support;
using static Paas.Scheduler.Docker.Tests.Support.DockerEngine;

namespace Paas.Scheduler.Docker.Tests;

/// <summary>`paas ps:restart`: fresh processes replace the old ones, and web never stops answering.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RestartTests(DockerEngine engine)
{
    private static string[] Names(IEnumerable<AppProcess> processes) => processes.Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public async Task Restarting_everything_replaces_every_process_while_web_keeps_answering()
    {
        // PAAS_DRAIN_SECONDS's default: well over the time the simulated router takes to see a change.
        await using var scheduler = engine.Scheduler(drain: TimeSpan.FromSeconds(3));
        var app = NewApp("restart");
        var spec = Spec(app, 1, Web(replicas: 2), Worker("exec sleep 1000"));
        await scheduler.DeployAsync(spec, default);
        var before = await scheduler.ListAsync(app, default);

        IReadOnlyList<AppProcess> fresh;
        await using (var router = await SimulatedRouter.StartAsync(scheduler, app))
        {
            fresh = await scheduler.RestartAsync(spec, null, null, default);
            await router.StopAsync();
            Assert.Empty(router.Failures);
            Assert.True(router.Requests > 20, $"only {router.Requests} requests were made during the restart");
        }

        Assert.Equal(["web", "web", "worker"], fresh.Select(p => p.Type));
        Assert.All(fresh, p => Assert.Equal(ProcessState.Up, p.State));
        Assert.All(fresh, p => Assert.Equal(1, p.Version));
        Assert.Empty(Names(fresh).Intersect(Names(before)));
        Assert.Equal(Names(fresh), Names(await scheduler.ListAsync(app, default)));
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Restarting_one_type_leaves_the_others_running()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("restart-type");
        var spec = Spec(app, 1, Web(), Worker("exec sleep 1000", replicas: 2));
        await scheduler.DeployAsync(spec, default);
        var before = await scheduler.ListAsync(app, default);

        var fresh = await scheduler.RestartAsync(spec, "worker", null, default);

        Assert.Equal(["worker", "worker"], fresh.Select(p => p.Type));
        var after = await scheduler.ListAsync(app, default);
        Assert.Equal(before.Single(p => p.Type == "web").Name, after.Single(p => p.Type == "web").Name);
        Assert.Equal(Names(fresh), Names(after.Where(p => p.Type == "worker")));
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Restarting_one_process_by_name_replaces_only_that_one()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("restart-one");
        var spec = Spec(app, 1, Web(replicas: 2));
        await scheduler.DeployAsync(spec, default);
        var before = await scheduler.ListAsync(app, default);

        var fresh = Assert.Single(await scheduler.RestartAsync(spec, "web", before[0].Name, default));

        Assert.Equal(ProcessState.Up, fresh.State);
        Assert.NotNull(fresh.Endpoint);
        Assert.Equal(Names([before[1], fresh]), Names(await scheduler.ListAsync(app, default)));
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Restarting_what_does_not_exist_changes_nothing()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("restart-none");
        var spec = Spec(app, 1, Web());
        await scheduler.DeployAsync(spec, default);
        var before = await scheduler.ListAsync(app, default);

        Assert.Empty(await scheduler.RestartAsync(spec, null, $"{app}-web-zzzzz", default));
        Assert.Empty(await scheduler.RestartAsync(spec, "worker", null, default));
        Assert.Empty(await scheduler.RestartAsync(spec with { Version = 2 }, null, null, default));

        Assert.Equal(Names(before), Names(await scheduler.ListAsync(app, default)));
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task A_restart_whose_new_process_never_gets_ready_fails_and_keeps_the_old_one()
    {
        await using var scheduler = engine.Scheduler(readyTimeout: TimeSpan.FromSeconds(1.5));
        var app = NewApp("restart-fail");
        await scheduler.DeployAsync(Spec(app, 1, Web()), default);
        var before = await scheduler.ListAsync(app, default);
        var unready = Spec(app, 1, Web(healthcheck: new Healthcheck(null, new Probe(ProbeKind.HttpGet, HealthPath, PeriodSeconds: 1))));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => scheduler.RestartAsync(unready, null, null, default));

        Assert.Contains("never passed its readiness check (httpGet /cgi-bin/health on port 5000: HTTP 500)", failure.Message, StringComparison.Ordinal);
        var after = Assert.Single(await scheduler.ListAsync(app, default));
        Assert.Equal(before[0].Name, after.Name);
        Assert.Equal(ProcessState.Up, after.State);
        await scheduler.DestroyAsync(app, default);
    }
}
