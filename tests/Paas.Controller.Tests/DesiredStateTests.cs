using Paas.Controller.Routing;
using Paas.Controller.Services;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Tests;

/// <summary>The pure functions that decide what runs and what is routed.</summary>
public sealed class DesiredStateTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_release_runs_its_build_with_its_config_PORT_and_the_formation()
    {
        var app = new App("demo", "alice", Now);
        var (config, _) = Config.Initial(app.Id, "alice", Now).WithValues(new Dictionary<string, string?> { ["GREETING"] = "hi" }, "alice", Now);
        var build = new Build(Guid.NewGuid(), app.Id, "alice", "127.0.0.1:5000/demo:git-3f2a1c9", "dockerfile", "3f2a1c9aa",
            new Dictionary<string, string> { ["web"] = "./server", ["worker"] = "./work" }, Now);
        app.AdoptProcessTypes(build.ProcessTypes, Now);
        app.Scale(new Dictionary<string, int> { ["web"] = 2 }, Now);
        var release = Release.Next(Release.First(app.Id, config, "alice", Now), build, config, "alice", "x", Now);

        var spec = DeploymentSpecs.For(app, release, build, config);

        Assert.Equal(2, spec.Version);
        Assert.Equal("127.0.0.1:5000/demo:git-3f2a1c9", spec.Image);
        Assert.Equal("hi", spec.Environment["GREETING"]);
        Assert.Equal("5000", spec.Environment["PORT"]);
        Assert.Equal("v2", spec.Environment["PAAS_RELEASE"]);
        Assert.Equal("3f2a1c9aa", spec.Environment["SOURCE_VERSION"]);
        Assert.Equal([new ProcessSpec("web", "./server", 2), new ProcessSpec("worker", "./work", 0)], spec.Processes);
    }

    [Fact]
    public void A_Dockerfile_build_without_a_Procfile_runs_the_image_CMD_as_web()
    {
        var app = new App("demo", "alice", Now);
        var config = Config.Initial(app.Id, "alice", Now);
        var build = new Build(Guid.NewGuid(), app.Id, "alice", "img", "dockerfile", null, new Dictionary<string, string>(), Now);
        app.AdoptProcessTypes(build.ProcessTypes, Now);
        var spec = DeploymentSpecs.For(app, Release.First(app.Id, config, "alice", Now), build, config);
        Assert.Equal([new ProcessSpec("web", null, 1)], spec.Processes);
        Assert.False(spec.Environment.ContainsKey("SOURCE_VERSION"));
    }

    [Fact]
    public void Only_ready_web_processes_of_the_serving_release_are_routed()
    {
        AppProcess Process(string app, string type, int version, ProcessState state, string name) =>
            new(app, type, name, version, state, Now, state == ProcessState.Up ? name + ":5000" : null);
        var table = RouteTables.Compute("example.test",
            [new RoutableApp("demo", 3), new RoutableApp("idle", null)],
            [
                Process("demo", "web", 3, ProcessState.Up, "new"),
                Process("demo", "web", 2, ProcessState.Up, "old"),
                Process("demo", "worker", 3, ProcessState.Up, "worker"),
                Process("demo", "web", 3, ProcessState.Crashed, "crashed"),
                Process("gone", "web", 1, ProcessState.Up, "stray"),
            ]);

        var demo = Assert.Single(table.Apps, a => a.App == "demo");
        Assert.Equal(["demo.example.test"], demo.Hosts);
        Assert.Equal(["new:5000"], demo.Backends);
        Assert.Empty(Assert.Single(table.Apps, a => a.App == "idle").Backends);
        Assert.DoesNotContain(table.Apps, a => a.App == "gone");
    }

    [Fact]
    public void A_backend_that_balances_web_itself_is_routed_once_whatever_release_its_processes_run()
    {
        // Kubernetes: every ready web pod reports the app's Service; during a rollout old and new pods both serve.
        AppProcess Pod(int version, ProcessState state, string name) =>
            new("demo", "web", name, version, state, Now, state == ProcessState.Up ? "10.0.0.42:80" : null);
        var processes = new[] { Pod(3, ProcessState.Up, "demo-web-new"), Pod(2, ProcessState.Up, "demo-web-old"), Pod(3, ProcessState.Starting, "demo-web-next") };

        var during = RouteTables.Compute("example.test", [new RoutableApp("demo", 2)], processes, balancedWebEndpoint: true);
        var idle = RouteTables.Compute("example.test", [new RoutableApp("demo", 3)], [Pod(3, ProcessState.Starting, "demo-web-next")],
            balancedWebEndpoint: true);

        Assert.Equal(["10.0.0.42:80"], Assert.Single(during.Apps).Backends);
        Assert.Empty(Assert.Single(idle.Apps).Backends);
    }

    [Fact]
    public void Autoscaling_rules_and_domains_reach_the_scheduler_with_the_release()
    {
        var app = new App("demo", "alice", Now);
        var config = Config.Initial(app.Id, "alice", Now);
        var build = new Build(Guid.NewGuid(), app.Id, "alice", "img", "dockerfile", null,
            new Dictionary<string, string> { ["web"] = "./server", ["worker"] = "./work" }, Now);
        app.AdoptProcessTypes(build.ProcessTypes, Now);

        var spec = DeploymentSpecs.For(app, Release.First(app.Id, config, "alice", Now), build, config,
            new Dictionary<string, Autoscale> { ["web"] = new(1, 5, 80) }, ["demo.example.test", "www.example.com"]);

        Assert.Equal(new Autoscale(1, 5, 80), spec.Processes.Single(p => p.Type == "web").Autoscale);
        Assert.Null(spec.Processes.Single(p => p.Type == "worker").Autoscale);
        Assert.Equal(["demo.example.test", "www.example.com"], spec.Domains);
    }

    [Fact]
    public void The_table_version_changes_exactly_when_its_content_does()
    {
        var one = RouteTables.Compute("d", [new RoutableApp("a", 1)], []);
        var same = RouteTables.Compute("d", [new RoutableApp("a", 1)], []);
        var other = RouteTables.Compute("d", [new RoutableApp("b", 1)], []);
        Assert.Equal(one.Version, same.Version);
        Assert.NotEqual(one.Version, other.Version);
    }
}
