using System.Diagnostics;
using Docker.DotNet.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Docker.Tests.Support;
using static Paas.Scheduler.Docker.Tests.Support.DockerEngine;

namespace Paas.Scheduler.Docker.Tests;

/// <summary>What a deploy does with limits, readiness checks and termination grace, seen on the engine.</summary>
[Collection(DeployCollection.Name)]
public sealed class DeployTests(DockerEngine engine)
{
    private async Task<ContainerInspectResponse> InspectOnlyAsync(string app)
    {
        var listed = await engine.Docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"paas.app={app}"] = true } },
        });
        return await engine.Docker.Containers.InspectContainerAsync(Assert.Single(listed).ID);
    }

    [Fact]
    public async Task Limits_and_grace_are_set_on_the_process_container()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("limits");

        await scheduler.DeployAsync(Spec(app, 1, Web(limits: new ResourceLimits(64L * 1024 * 1024, 250), grace: 3)), default);

        var container = await InspectOnlyAsync(app);
        Assert.Equal(64L * 1024 * 1024, container.HostConfig.Memory);
        Assert.Equal(64L * 1024 * 1024, container.HostConfig.MemorySwap);
        Assert.Equal(250_000_000, container.HostConfig.NanoCPUs);
        Assert.Equal(TimeSpan.FromSeconds(3), container.Config.StopTimeout);
        Assert.Equal("3", container.Config.Labels["paas.grace"]);
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Without_limits_the_process_may_use_the_whole_host()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("nolimits");

        await scheduler.DeployAsync(Spec(app, 1, Web()), default);

        var container = await InspectOnlyAsync(app);
        Assert.Equal(0, container.HostConfig.Memory);
        Assert.Equal(0, container.HostConfig.NanoCPUs);
        Assert.Equal(TimeSpan.FromSeconds(2), container.Config.StopTimeout); // the scheduler's default grace
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Retiring_a_process_that_ignores_SIGTERM_takes_its_grace_period()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("grace");
        // The shell ignores SIGTERM, so only the SIGKILL after the grace period ends it.
        await scheduler.DeployAsync(Spec(app, 1, Worker("trap '' TERM; while true; do sleep 0.1; done") with { TerminationGraceSeconds = 5 }), default);

        var watch = Stopwatch.StartNew();
        await scheduler.RetireAsync(app, keepVersion: 2, default);

        // Five seconds, not the default 2 s; the upper bound leaves room for a busy engine, not for a second grace period.
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(4.9), TimeSpan.FromSeconds(9));
        Assert.Empty(await scheduler.ListAsync(app, default));
    }

    [Fact]
    public async Task A_deploy_waits_until_the_http_readiness_check_passes()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("ready");
        // httpd accepts connections at once, but /cgi-bin/health answers 500 for its first second and a half.
        var check = new Healthcheck(null, new Probe(ProbeKind.HttpGet, HealthPath, PeriodSeconds: 1, Headers: new Dictionary<string, string> { ["X-Probe"] = "yes" }));
        var watch = Stopwatch.StartNew();

        await scheduler.DeployAsync(Spec(app, 1, Web(command: $"(sleep 1.5; touch /tmp/healthy) & {Serve}", healthcheck: check)), default);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.5), $"deployed after {watch.Elapsed}, before the check could pass");
        var web = Assert.Single(await scheduler.ListAsync(app, default));
        using var http = new HttpClient();
        Assert.Equal("ok\n", await http.GetStringAsync($"http://{web.Endpoint}{HealthPath}"));
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task A_deploy_fails_when_readiness_never_passes_and_says_what_the_check_saw()
    {
        await using var scheduler = engine.Scheduler(readyTimeout: TimeSpan.FromSeconds(2));
        var app = NewApp("unready");
        var check = new Healthcheck(null, new Probe(ProbeKind.HttpGet, HealthPath, PeriodSeconds: 1));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(Spec(app, 1, Web(healthcheck: check)), default));

        Assert.Matches($"^web process {app}-web-[a-z0-9]{{5}} never passed its readiness check " +
            @"\(httpGet /cgi-bin/health on port 5000: HTTP 500\) within 2 s\.", failure.Message);
        Assert.Empty(await scheduler.ListAsync(app, default)); // nothing half-made left behind
    }

    [Fact]
    public async Task A_tcp_readiness_check_waits_for_its_port()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("tcp");
        // A worker is otherwise ready once it runs; this one opens port 6000 after a second.
        var check = new Healthcheck(null, new Probe(ProbeKind.TcpSocket, Port: 6000, PeriodSeconds: 1));
        var watch = Stopwatch.StartNew();

        await scheduler.DeployAsync(Spec(app, 1, Worker("sleep 1; exec httpd -f -p 6000 -h /www", healthcheck: check)), default);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"deployed after {watch.Elapsed}, before port 6000 was open");
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task An_exec_readiness_check_runs_its_command_in_the_process_container()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("exec");
        var check = new Healthcheck(null, new Probe(ProbeKind.Exec, Command: ["cat", "/tmp/ready"], PeriodSeconds: 1));
        var watch = Stopwatch.StartNew();

        await scheduler.DeployAsync(Spec(app, 1, Worker("sleep 1; touch /tmp/ready; exec sleep 1000", healthcheck: check)), default);

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1), $"deployed after {watch.Elapsed}, before /tmp/ready existed");
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task A_failing_exec_check_reports_the_exit_code_and_what_the_command_said()
    {
        await using var scheduler = engine.Scheduler(readyTimeout: TimeSpan.FromSeconds(1.5));
        var app = NewApp("execfail");
        var check = new Healthcheck(null, new Probe(ProbeKind.Exec, Command: ["cat", "/tmp/ready"], PeriodSeconds: 1));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(Spec(app, 1, Worker("exec sleep 1000", healthcheck: check)), default));

        Assert.Contains("worker process", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(exec cat /tmp/ready: exit code 1: cat: can't open '/tmp/ready'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_that_exits_while_starting_fails_the_deploy_with_its_output()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("crash");
        var check = new Healthcheck(null, new Probe(ProbeKind.HttpGet, HealthPath, PeriodSeconds: 1));

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(Spec(app, 1, Web(command: "echo cannot bind; sleep 0.5; exit 3", healthcheck: check)), default));

        Assert.Contains("exited with code 3 before it was ready", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot bind", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Liveness_restarts_a_failing_process_and_leaves_a_healthy_one_alone_also_after_a_controller_restart()
    {
        var sick = NewApp("sick");
        var well = NewApp("well");
        var liveness = new Healthcheck(new Probe(ProbeKind.HttpGet, HealthPath, PeriodSeconds: 1, FailureThreshold: 2), null);
        // Deployed by one controller...
        await using (var before = engine.Scheduler())
        {
            await before.DeployAsync(Spec(sick, 1, Web(healthcheck: liveness, grace: 1)), default);
            await before.DeployAsync(Spec(well, 1, Web(command: ServeHealthy, healthcheck: liveness)), default);
        }
        // ...and watched by the next one, which knows the checks from the containers alone.
        await using var scheduler = engine.Scheduler();
        var wellBefore = Assert.Single(await scheduler.ListAsync(well, default));
        var sickBefore = Assert.Single(await scheduler.ListAsync(sick, default));

        var restarted = await Eventually.Returns(async () => Assert.Single(await scheduler.ListAsync(sick, default)),
            p => p.Restarts >= 1 && p.State == ProcessState.Up, "the sick process restarted");

        Assert.Equal(sickBefore.Name, restarted.Name);
        Assert.True(restarted.Started > sickBefore.Started, $"started {restarted.Started}, before {sickBefore.Started}");
        var wellAfter = Assert.Single(await scheduler.ListAsync(well, default));
        Assert.Equal(0, wellAfter.Restarts);
        Assert.Equal(wellBefore.Started, wellAfter.Started);
        Assert.Contains(engine.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && e.Message.Contains($"{sickBefore.Name} failed its liveness check 2 times in a row (httpGet /cgi-bin/health on port 5000: HTTP 500)", StringComparison.Ordinal));
        await scheduler.DestroyAsync(sick, default);
        await scheduler.DestroyAsync(well, default);
    }

    [Fact]
    public async Task List_shows_restarts_after_crashes_and_the_time_of_the_last_start()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("flaky");
        await scheduler.DeployAsync(Spec(app, 1, Worker("sleep 1; exit 1")), default);
        var first = Assert.Single(await scheduler.ListAsync(app, default));

        var later = await Eventually.Returns(async () => Assert.Single(await scheduler.ListAsync(app, default)),
            p => p.Restarts >= 1 && p.State == ProcessState.Up, "Docker restarted the crashed worker");

        var inspected = await engine.Docker.Containers.InspectContainerAsync(later.Name);
        Assert.Equal(inspected.RestartCount, later.Restarts);
        Assert.Equal(DateTimeOffset.Parse(inspected.State.StartedAt, System.Globalization.CultureInfo.InvariantCulture), later.Started);
        Assert.True(later.Started >= first.Started + TimeSpan.FromSeconds(1), $"last start {later.Started}, first {first.Started}");
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task A_running_one_off_is_not_a_process_and_outlives_deploys_and_retirements()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("oneoff");
        await scheduler.DeployAsync(Spec(app, 1, Worker("exec sleep 1000")), default);
        var started = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var run = scheduler.RunAsync(new OneOffSpec(app, 1, Image, new Dictionary<string, string>(), "echo started; exec sleep 1000"),
            chunk =>
            {
                if (chunk.Contains("started", StringComparison.Ordinal)) started.TrySetResult();
                return Task.CompletedTask;
            }, stop.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var processes = await scheduler.ListAsync(app, default);
        Assert.Equal(["worker"], processes.Select(p => p.Type));
        await scheduler.DeployAsync(Spec(app, 1, Worker("exec sleep 1000")), default); // same release, "run" is no type of it
        await scheduler.RetireAsync(app, keepVersion: 2, default);

        Assert.Empty(await scheduler.ListAsync(app, default));
        Assert.Contains($"{app}-run-", (await engine.Cli("ps", "--filter", $"label=paas.app={app}", "--format", "{{.Names}}")).Stdout, StringComparison.Ordinal);
        Assert.False(run.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal("", (await engine.Cli("ps", "-a", "-q", "--filter", $"label=paas.app={app}")).Stdout.Trim());
    }
}
