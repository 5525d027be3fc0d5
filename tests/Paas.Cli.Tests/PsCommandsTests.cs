using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>ps:list, ps:scale, ps:restart.</summary>
public sealed class PsCommandsTests : CommandTests
{
    private const string PodsPath = "/v2/apps/demo/pods/";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Controller.On("GET", PodsPath, 200, new
        {
            count = 4,
            results = new[]
            {
                Pod("demo-worker-q1w2e", "worker", "up", restarts: 2),
                Pod("demo-web-b2c3d", "web", "up"),
                Pod("demo-web-a1b2c", "web", "starting"),
                Pod("demo-queue-runner-z9y8x", "queue-runner", "crashed"),
            },
        });
    }

    private static object Pod(string name, string type, string state, int restarts = 0, string release = "v3") => new
    {
        name,
        type,
        state,
        release,
        started = "2026-11-23T10:00:00Z",
        restarts,
    };

    [Fact]
    public async Task Ps_groups_the_processes_by_type()
    {
        var result = await Machine.RunAsync("ps", "-a", "demo");

        Succeeded(result);
        Assert.Equal(["GET /v2/apps/demo/pods/"], RequestLines);
        Assert.Equal(
            """
            === queue-runner (1)
            demo-queue-runner-z9y8x crashed (v3)  started 2026-11-23T10:00:00Z  restarts 0

            === web (2)
            demo-web-a1b2c starting (v3)  started 2026-11-23T10:00:00Z  restarts 0
            demo-web-b2c3d up (v3)  started 2026-11-23T10:00:00Z  restarts 0

            === worker (1)
            demo-worker-q1w2e up (v3)  started 2026-11-23T10:00:00Z  restarts 2

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Ps_json_is_the_list_of_processes()
    {
        var result = await Machine.RunAsync("ps:list", "--json", "-a", "demo");

        using var processes = JsonDocument.Parse(result.Stdout);
        Assert.Equal(4, processes.RootElement.GetArrayLength());
        Assert.Equal(2, processes.RootElement[0].GetProperty("restarts").GetInt32());
    }

    [Fact]
    public async Task Ps_without_processes_says_how_to_start_some()
    {
        Controller.On("GET", PodsPath, 200, new { count = 0, results = Array.Empty<object>() });

        var result = await Machine.RunAsync("ps", "-a", "demo");

        Assert.Equal("demo has no processes running (start some with: paas ps:scale web=1 -a demo)\n", result.Stdout);
    }

    [Fact]
    public async Task Scale_posts_whole_numbers_then_lists_the_processes()
    {
        Controller.On("POST", "/v2/apps/demo/scale/", 204);

        var result = await Machine.RunAsync("scale", "web=2", "worker=0", "-a", "demo");

        Succeeded(result);
        Assert.Equal(["POST /v2/apps/demo/scale/", "GET /v2/apps/demo/pods/"], RequestLines);
        Assert.Equal("""{"web":2,"worker":0}""", Controller.Requests[0].Body);
        Assert.StartsWith("Scaling processes... done\n=== queue-runner (1)\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("web=x", "Error: \"web=x\": the number of processes must be a whole number of 0 or more (e.g. web=2)\n")]
    [InlineData("web=-1", "Error: \"web=-1\": the number of processes must be a whole number of 0 or more (e.g. web=2)\n")]
    [InlineData("web", "Error: \"web\" is not TYPE=N (e.g. paas ps:scale web=2)\n")]
    public async Task Scale_refuses_what_is_not_type_equals_number(string argument, string error)
    {
        var result = await Machine.RunAsync("ps:scale", argument, "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Scale_shows_the_controllers_refusal()
    {
        Controller.On("POST", "/v2/apps/demo/scale/", 400, Problem(400, "Cannot scale db: demo has no process type 'db'. Its types are: web, worker."));

        var result = await Machine.RunAsync("ps:scale", "db=1", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Scaling processes... failed\n", result.Stdout);
        Assert.Equal("Error: Cannot scale db: demo has no process type 'db'. Its types are: web, worker.\n", result.Stderr);
    }

    [Theory]
    [InlineData(new string[0], "/v2/apps/demo/pods/restart/", "Restarting all processes of demo... done\n")]
    [InlineData(new[] { "web" }, "/v2/apps/demo/pods/web/restart/", "Restarting web processes of demo... done\n")]
    public async Task Restart_all_or_a_type(string[] target, string path, string firstLine)
    {
        Controller.On("POST", path, 200, new[] { Pod("demo-web-n3w01", "web", "up", release: "v4") });

        var result = await Machine.RunAsync(["ps:restart", .. target, "-a", "demo"]);

        Succeeded(result);
        Assert.Equal([$"POST {path}"], RequestLines);
        Assert.Equal(firstLine + "=== web (1)\ndemo-web-n3w01 up (v4)  started 2026-11-23T10:00:00Z  restarts 0\n", result.Stdout);
    }

    [Theory]
    [InlineData("demo-web-a1b2c", "/v2/apps/demo/pods/web/demo-web-a1b2c/restart/")]
    [InlineData("demo-queue-runner-z9y8x", "/v2/apps/demo/pods/queue-runner/demo-queue-runner-z9y8x/restart/")]
    public async Task Restart_a_process_by_name_finds_its_type(string name, string path)
    {
        Controller.On("POST", path, 200, new[] { Pod("demo-web-n3w01", "web", "up") });

        var result = await Machine.RunAsync("ps:restart", name, "-a", "demo");

        Succeeded(result);
        Assert.Equal(["GET /v2/apps/demo/pods/", $"POST {path}"], RequestLines);
        Assert.StartsWith($"Restarting {name} of demo... done\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_that_replaced_nothing_is_an_error()
    {
        Controller.On("POST", "/v2/apps/demo/pods/worker/restart/", 200, Array.Empty<object>());

        var result = await Machine.RunAsync("ps:restart", "worker", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Could not find any processes to restart\n", result.Stderr);
    }
}
