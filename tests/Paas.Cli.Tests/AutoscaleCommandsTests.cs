using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>autoscale:list, autoscale:set, autoscale:unset: Deis's settings API, {"autoscale": {TYPE: rule or null}}.</summary>
public sealed class AutoscaleCommandsTests : CommandTests
{
    private static object Settings(object autoscale) => new
    {
        app = "demo",
        owner = "alice",
        maintenance = false,
        routable = true,
        whitelist = Array.Empty<string>(),
        label = new { },
        autoscale,
    };

    [Fact]
    public async Task Set_sends_the_rule_of_one_type_and_unset_sends_null()
    {
        Controller.On("POST", "/v2/apps/demo/settings/", 201, Settings(new { }));

        var set = await Machine.RunAsync("autoscale:set", "web", "--min", "1", "--max", "5", "--cpu-percent", "80", "-a", "demo");
        var unset = await Machine.RunAsync("autoscale:unset", "web", "-a", "demo");

        Succeeded(set);
        Succeeded(unset);
        Assert.Equal("Autoscaling web of demo between 1 and 5 at 80% CPU... done\n", set.Stdout);
        Assert.Equal("Removing autoscaling of web from demo... done\n", unset.Stdout);
        Assert.Equal("""{"autoscale":{"web":{"min":1,"max":5,"cpu_percent":80}}}""", Controller.Requests[0].Body);
        Assert.Equal("""{"autoscale":{"web":null}}""", Controller.Requests[1].Body);
    }

    [Fact]
    public async Task List_shows_each_autoscaled_type()
    {
        Controller.On("GET", "/v2/apps/demo/settings/", 200,
            Settings(new Dictionary<string, object> { ["worker"] = new { min = 2, max = 8, cpu_percent = 60 }, ["web"] = new { min = 1, max = 5, cpu_percent = 80 } }));

        var result = await Machine.RunAsync("autoscale", "-a", "demo");

        Succeeded(result);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToList();
        Assert.Equal(["=== demo Autoscale", "TYPE MIN MAX CPU %", "web 1 5 80", "worker 2 8 60"], lines);
    }

    [Fact]
    public async Task List_says_how_to_start_when_nothing_autoscales()
    {
        Controller.On("GET", "/v2/apps/demo/settings/", 200, Settings(new { }));

        var result = await Machine.RunAsync("autoscale:list", "-a", "demo");

        Succeeded(result);
        Assert.Equal("=== demo Autoscale\nNo process type of demo autoscales. Set one with: paas autoscale:set web --min 1 --max 5 --cpu-percent 80\n", result.Stdout);
    }

    [Fact]
    public async Task Set_needs_all_three_numbers_and_sends_nothing_without_them()
    {
        var result = await Machine.RunAsync("autoscale:set", "web", "--min", "0", "--max", "5", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--min must be 1 or more", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--cpu-percent", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Controller.Requests);
    }
}
