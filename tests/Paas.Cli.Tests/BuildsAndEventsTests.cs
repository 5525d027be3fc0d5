using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>builds:list, builds:info, builds:create and apps:events.</summary>
public sealed class BuildsAndEventsTests : CommandTests
{
    private const string BuildsPath = "/v2/apps/demo/builds/";

    private static object Build(string uuid, string? sha, string image, object? release = null) => new
    {
        uuid,
        app = "demo",
        owner = "alice",
        image,
        sha,
        procfile = new Dictionary<string, string> { ["web"] = "./server", ["worker"] = "./jobs" },
        dockerfile = "",
        created = "2026-11-23T10:00:00Z",
        updated = "2026-11-23T10:00:00Z",
        kind = sha is null ? "image" : "git",
        release,
    };

    [Fact]
    public async Task Builds_lists_uuid_created_and_sha_or_image()
    {
        Controller.On("GET", BuildsPath + "?limit=100", 200, FakeController.Page(
        [
            Build("b2", null, "registry.example.com/shop:1.4"),
            Build("b1", "3f2a1c9e", "127.0.0.1:5000/demo:git-3f2a1c9e"),
        ]));

        var result = await Machine.RunAsync("builds", "-a", "demo");
        var json = await Machine.RunAsync("builds:list", "--json", "-a", "demo");

        Succeeded(result);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("=== demo Builds", lines[0]);
        Assert.Matches("^uuid +created +kind +status +sha/image$", lines[1]);
        Assert.Matches("^b2 +2026-11-23T10:00:00Z +image +registry.example.com/shop:1.4$", lines[2]);
        Assert.Matches("^b1 +2026-11-23T10:00:00Z +git +3f2a1c9e$", lines[3]);
        using var builds = JsonDocument.Parse(json.Stdout);
        Assert.Equal("image", builds.RootElement[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task Builds_info_shows_one_build_and_its_procfile()
    {
        Controller.On("GET", BuildsPath + "b1/", 200, Build("b1", "3f2a1c9e", "127.0.0.1:5000/demo:git-3f2a1c9e"));

        var result = await Machine.RunAsync("builds:info", "b1", "-a", "demo");

        Succeeded(result);
        Assert.Equal(["GET /v2/apps/demo/builds/b1/"], RequestLines);
        Assert.StartsWith("=== demo Build b1\nkind:     git\nimage:    127.0.0.1:5000/demo:git-3f2a1c9e\nsha:      3f2a1c9e\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("--- Procfile\nweb: ./server\nworker: ./jobs\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], """{"image":"registry.example.com/shop:1.4"}""")]
    [InlineData(new[] { "--procfile", "web: ./server --port $PORT" }, """{"image":"registry.example.com/shop:1.4","procfile":{"web":"./server --port $PORT"}}""")]
    [InlineData(new[] { "--procfile-file", "Procfile" }, """{"image":"registry.example.com/shop:1.4","procfile":{"web":"./server","worker":"./jobs --queue=default"}}""")]
    public async Task Pull_creates_a_build_from_an_image(string[] options, string body)
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "Procfile"), "# processes\nweb: ./server\n\nworker: ./jobs --queue=default\n");
        Controller.On("POST", BuildsPath, 201, Build("b3", null, "registry.example.com/shop:1.4", release: new { version = 5 }));

        var result = await Machine.RunAsync(["pull", "registry.example.com/shop:1.4", .. options, "-a", "demo"]);

        Succeeded(result);
        Assert.Equal(body, Compact(BodyOf("POST", BuildsPath)));
        Assert.Equal("Creating build... done, v5\n", result.Stdout);
    }

    [Fact]
    public async Task Builds_create_without_a_release_in_the_answer_just_says_done()
    {
        Controller.On("POST", BuildsPath, 201, Build("b3", null, "shop:1"));

        var result = await Machine.RunAsync("builds:create", "shop:1", "-a", "demo");

        Assert.Equal("Creating build... done\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--procfile", "web ./server" }, "Error: --procfile line 1: expected \"type: command\", found \"web ./server\"\n")]
    [InlineData(new[] { "--procfile", "web: x", "--procfile-file", "Procfile" }, "Error: Give either --procfile or --procfile-file, not both\n")]
    public async Task Builds_create_refuses_a_bad_procfile_locally(string[] options, string error)
    {
        var result = await Machine.RunAsync(["builds:create", "shop:1", .. options, "-a", "demo"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Builds_create_with_a_missing_procfile_says_so()
    {
        var result = await Machine.RunAsync("builds:create", "shop:1", "--procfile-file", "Nope", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: Cannot read the Procfile Nope: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Events_print_time_user_and_message_as_the_controller_orders_them()
    {
        Controller.On("GET", "/v2/apps/demo/events/?limit=50", 200, FakeController.Page(
        [
            new { created = "2026-11-23T10:05:00Z", user = "bob", kind = "scale", message = "scaled web=2" },
            new { created = "2026-11-23T10:00:00Z", user = "alice", kind = "config", message = "added FOO" },
        ]));
        Controller.On("GET", "/v2/apps/demo/events/?limit=5", 200, FakeController.Page([]));

        var result = await Machine.RunAsync("events", "-a", "demo");
        var limited = await Machine.RunAsync("apps:events", "-n", "5", "-a", "demo");
        var json = await Machine.RunAsync("apps:events", "--json", "-a", "demo");

        Succeeded(result);
        Assert.Equal("2026-11-23T10:05:00Z  bob    scaled web=2\n2026-11-23T10:00:00Z  alice  added FOO\n", result.Stdout);
        Assert.Equal("No events for demo\n", limited.Stdout);
        using var events = JsonDocument.Parse(json.Stdout);
        Assert.Equal("scale", events.RootElement[0].GetProperty("kind").GetString());
    }
}
