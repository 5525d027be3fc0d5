using System.Text.RegularExpressions;
using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>
/// Processes as a user lives them: the Procfile's types, scaling, restarts, one-off runs, logs, limits
/// and health checks, checked in the containers themselves and through the router.
/// </summary>
[Collection(CommandsCollection.Name)]
public sealed class ProcessesTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task The_Procfile_types_scale_list_and_restart()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("procs", "procfile app", withWorker: true);

        // The build recorded both types; only web runs until scaled.
        var build = (await alice.JsonAsync(repo, "builds"))[0];
        Assert.Equal(["web", "worker"], build.GetProperty("procfile").EnumerateObject().Select(p => p.Name).Order());
        var ps = await alice.Ok(repo, "ps");
        Assert.Matches($@"^=== web \(1\)\n{app}-web-\w+ up \(v2\)  started \S+Z  restarts 0\n$", ps);

        var scaled = await alice.Ok(repo, "ps:scale", "web=3", "worker=1");
        Assert.StartsWith("Scaling processes... done\n", scaled);
        Assert.Equal(3, ProcessNames(scaled, app, "web").Count);
        Assert.Single(ProcessNames(scaled, app, "worker"));
        Assert.Matches(@"=== web \(3\)\n(.* up \(v2\).*\n){3}\n=== worker \(1\)\n.* up \(v2\).*\n$", scaled);
        Assert.Equal(3, (await platform.ContainersAsync(app, "web", 2)).Count);
        Assert.Single(await platform.ContainersAsync(app, "worker", 2));
        // The worker's command from the Procfile runs (it gets no route: the router only knows web).
        var worker = ProcessNames(scaled, app, "worker")[0];
        await PlatformExtensions.EventuallyAsync(() => platform.Docker("logs", worker), r => r.Stdout.Contains("worker tick v2"), "the worker ticking");

        var json = await alice.JsonAsync(repo, "ps:list");
        Assert.Equal(4, json.GetArrayLength());
        Assert.All(json.EnumerateArray(), p => Assert.Equal("up", p.GetProperty("state").GetString()));

        // Restarting one type replaces its processes only.
        var before = await alice.Ok(repo, "ps");
        var restarted = await alice.Ok(repo, "ps:restart", "worker");
        Assert.StartsWith($"Restarting worker processes of {app}... done\n=== worker (1)\n", restarted);
        var after = await alice.Ok(repo, "ps");
        Assert.Equal(ProcessNames(before, app, "web"), ProcessNames(after, app, "web"));
        Assert.NotEqual(worker, Assert.Single(ProcessNames(after, app, "worker")));

        // Without a type: all of them, and web keeps serving meanwhile.
        var all = await alice.Ok(repo, "ps:restart");
        Assert.StartsWith($"Restarting all processes of {app}... done\n", all);
        var final = await alice.Ok(repo, "ps");
        Assert.Empty(ProcessNames(after, app, "web").Intersect(ProcessNames(final, app, "web")));
        Assert.Equal(3, ProcessNames(final, app, "web").Count);
        Assert.Equal("procfile app\n", await platform.BodyThroughRouterAsync(app));

        Assert.Contains("has no process type 'nosuch'", await alice.Fails(repo, "ps:scale", "nosuch=1"));

        // Scaled down, the containers go away.
        await alice.Ok(repo, "ps:scale", "web=1", "worker=0");
        await PlatformExtensions.EventuallyAsync(() => platform.ContainersAsync(app, "worker", 2), c => c.Count == 0, "the worker gone");
        await PlatformExtensions.EventuallyAsync(() => platform.ContainersAsync(app, "web", 2), c => c.Count == 1, "two of the three web processes gone");
    }

    [Fact]
    public async Task Run_streams_the_output_of_a_one_off_process_with_the_config_and_exits_with_its_code()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("run", "run app");
        await alice.Ok(repo, "config:set", "GREETING=hello from config");

        var failing = await alice.PaasIn(repo, "run", "echo \"$GREETING\"; echo on stderr >&2; exit 3");
        Assert.Equal(3, failing.ExitCode);
        // stdout and stderr reach the engine through separate pipes, so their relative order is not kept (as on Heroku).
        Assert.Equal(["hello from config", "on stderr"], failing.Stdout.TrimEnd('\n').Split('\n').Order());

        // Words after the command are its own; the release's image is the one that runs.
        var words = await alice.PaasIn(repo, "run", "cat", "/www/index.html");
        Assert.Equal(0, words.ExitCode);
        Assert.Equal("run app\n", words.Stdout);

        // Output arrives as the process writes it, not when it ends.
        await using (var slow = RunningCommand.Start(alice, repo, "run", "echo first; sleep 4; echo second"))
        {
            var first = await slow.WaitForLineAsync(line => line == "first", "first");
            var second = await slow.WaitForLineAsync(line => line == "second", "second");
            Assert.Equal(0, await slow.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(second.At - first.At > TimeSpan.FromSeconds(3), $"first at {first.At:O}, second at {second.At:O}: not streamed");
        }

        // One-off processes leave nothing behind.
        var leftovers = await platform.Docker("ps", "-aq", "--filter", $"label=paas.app={app}", "--filter", "label=paas.type=run");
        Assert.Equal("", leftovers.Stdout.Trim());
    }

    [Fact]
    public async Task Logs_show_the_newest_lines_and_follow_new_ones_labelled_by_process()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("logs", "logs app", withWorker: true);
        var scaled = await alice.Ok(repo, "ps:scale", "worker=1");
        var web = Assert.Single(ProcessNames(scaled, app, "web"));
        var worker = Assert.Single(ProcessNames(scaled, app, "worker"));
        Assert.Equal("5000", await platform.EnvThroughRouterAsync(app, "PORT"));

        // `logs` interleaves by time: the platform's own actions, web's start and the worker's ticks.
        var logs = await PlatformExtensions.EventuallyAsync(() => alice.Ok(repo, "logs"),
            text => text.Contains($"{app}[{worker}]: worker tick v2") && text.Contains($"{app}[{web}]: served PORT"), "web and worker lines in the logs");
        var lines = logs.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.Matches(LogLine(app), line));
        Assert.Contains(lines, line => line.EndsWith($"{app}[{web}]: web v2 listening on 5000", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.EndsWith($"{app}[controller]: {alice.Username} scaled worker=1", StringComparison.Ordinal));
        var times = lines.Select(line => DateTimeOffset.Parse(line.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.Order(), times);

        var three = (await alice.Ok(repo, "logs", "-n", "3")).TrimEnd('\n').Split('\n');
        Assert.Equal(3, three.Length);
        Assert.All(three, line => Assert.Matches(LogLine(app), line));

        // -f: what was there, then new lines from both processes as they happen.
        await using var follow = RunningCommand.Start(alice, repo, "logs", "-f", "-n", "1");
        await follow.WaitForLineAsync(line => line.Contains($"{app}[{worker}]: worker tick"), "a worker tick");
        Assert.Equal("", await platform.EnvThroughRouterAsync(app, "FOLLOWED"));
        await follow.WaitForLineAsync(line => line.EndsWith($"{app}[{web}]: served FOLLOWED", StringComparison.Ordinal), "web serving FOLLOWED");
        var ticks = follow.Lines.Count(line => line.Text.Contains($"{app}[{worker}]: worker tick", StringComparison.Ordinal));
        await PlatformExtensions.EventuallyAsync(() => Task.FromResult(follow.Lines.Count(l => l.Text.Contains("worker tick"))), n => n > ticks + 1,
            "more worker ticks while following");
        Assert.False(follow.HasExited, "logs -f ended by itself: " + follow.Stderr);
    }

    [Fact]
    public async Task Limits_reach_the_containers_and_are_listed()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("limits", "limits app", withWorker: true);
        await alice.Ok(repo, "ps:scale", "worker=1");

        var memory = await alice.Ok(repo, "limits:set", "web=64M", "worker=32M");
        Assert.StartsWith($"Applying limits and restarting {app}... done, v3\n", memory);
        var cpu = await alice.Ok(repo, "limits:set", "--cpu", "web=250m");
        Assert.StartsWith($"Applying limits and restarting {app}... done, v4\n", cpu);
        Assert.Equal($"=== {app} Limits\n--- Memory\nweb     64M\nworker  32M\n\n--- CPU\nweb  250m\n", await alice.Ok(repo, "limits"));

        var web = Assert.Single(await platform.ContainersAsync(app, "web", 4)).GetProperty("HostConfig");
        Assert.Equal(64L * 1024 * 1024, web.GetProperty("Memory").GetInt64());
        Assert.Equal(250_000_000L, web.GetProperty("NanoCpus").GetInt64());
        var worker = Assert.Single(await platform.ContainersAsync(app, "worker", 4)).GetProperty("HostConfig");
        Assert.Equal(32L * 1024 * 1024, worker.GetProperty("Memory").GetInt64());
        Assert.Equal(0L, worker.GetProperty("NanoCpus").GetInt64());
        // The limit is real: the kernel's cgroup says so inside the container.
        var id = (await platform.ContainersAsync(app, "web", 4))[0].GetProperty("Id").GetString()!;
        var inside = await platform.Docker("exec", id, "sh", "-c", "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes");
        Assert.Equal("67108864", inside.Stdout.Trim());

        await alice.Ok(repo, "limits:unset", "web");
        var unset = await alice.Ok(repo, "limits:unset", "--cpu", "web");
        Assert.Equal($"Removing limits and restarting {app}... done, v6\n\n=== {app} Limits\n--- Memory\nworker  32M\n\n--- CPU\nUnlimited\n", unset);
        var unlimited = Assert.Single(await platform.ContainersAsync(app, "web", 6)).GetProperty("HostConfig");
        Assert.Equal(0L, unlimited.GetProperty("Memory").GetInt64());
        Assert.Equal(0L, unlimited.GetProperty("NanoCpus").GetInt64());

        var limits = await alice.JsonAsync(repo, "limits");
        Assert.Equal("32M", limits.GetProperty("memory").GetProperty("worker").GetString());
        var releases = await alice.Ok(repo, "releases");
        Assert.Matches($@"(?m)^v3\s+\S+\s+{alice.Username} set memory limit web=64M, worker=32M$", releases);
        Assert.Matches($@"(?m)^v6\s+\S+\s+{alice.Username} unset CPU limit of web$", releases);
    }

    [Fact]
    public async Task A_readiness_check_that_never_passes_fails_the_release_and_the_previous_one_keeps_serving()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("health", "healthy app");

        var failed = await alice.PaasIn(repo, "healthchecks:set", "readiness", "httpGet", "/never-ready", "--period-seconds", "1", "--failure-threshold", "1");
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal($"Applying the readiness check to web/cmd of {app}... failed\n", failed.Stdout);
        Assert.Contains($"v3 was made, but its processes did not start, so {app} keeps running its previous release", failed.Stderr);
        Assert.Contains("never passed its readiness check (httpGet /never-ready on port 5000: HTTP 404)", failed.Stderr);
        Assert.Equal("healthy app\n", await platform.BodyThroughRouterAsync(app));
        Assert.Matches(@"(?m)^failed:\s+yes: web process .* never passed its readiness check", await alice.Ok(repo, "releases:info", "v3"));
        Assert.Equal("No health checks", (await alice.Ok(repo, "healthchecks")).Split('\n')[1]);
        Assert.Matches($@"^=== web \(1\)\n{app}-web-\w+ up \(v2\)", await alice.Ok(repo, "ps"));

        var set = await alice.Ok(repo, "healthchecks:set", "readiness", "httpGet", "/index.html");
        Assert.Equal(
            $"Applying the readiness check to web/cmd of {app}... done, v4\n\n=== {app} Healthchecks\n\n--- web/cmd\nliveness: none\n"
            + "readiness: httpGet /index.html on port 5000, every 2 s, timeout 1 s, after 0 s, 3 failures\n", set);
        await alice.Ok(repo, "healthchecks:set", "liveness", "tcpSocket", "5000");
        var json = await alice.JsonAsync(repo, "healthchecks");
        Assert.Equal(5000, json.GetProperty("web/cmd").GetProperty("livenessProbe").GetProperty("tcpSocket").GetProperty("port").GetInt32());

        var unset = await alice.Ok(repo, "healthchecks:unset", "readiness", "liveness");
        Assert.Equal($"Removing the readiness and liveness check from web/cmd of {app}... done, v6\n\n=== {app} Healthchecks\nNo health checks\n", unset);
        Assert.Equal("healthy app\n", await platform.BodyThroughRouterAsync(app));
    }

    /// <summary>The names of one type's processes in ps output (<c>app-web-x1y2z up (v3) ...</c>), sorted.</summary>
    private static List<string> ProcessNames(string psOutput, string app, string type) =>
        [.. Regex.Matches(psOutput, $@"(?m)^({Regex.Escape(app)}-{type}-\w+) ").Select(m => m.Groups[1].Value).Order()];

    private static Regex LogLine(string app) =>
        new($@"^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z {Regex.Escape(app)}\[(controller|{Regex.Escape(app)}-(web|worker)-\w+)\]: ");
}
