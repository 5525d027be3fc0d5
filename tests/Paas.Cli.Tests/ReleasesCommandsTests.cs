using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

public sealed class ReleasesCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        machine.LogIn(controller.Url);
        controller.WithApp(
            "demo",
            "http://127.0.0.1:8001/demo.git",
            FakeController.Release(3, "alice deployed 3f2a1c9", "2026-11-23T10:00:00Z"),
            FakeController.Release(2, "alice added FOO", "2026-11-23T09:30:00Z"),
            FakeController.Release(1, "alice created initial release", "2026-11-23T09:00:00Z"));
    }

    [Fact]
    public async Task Releases_are_a_table_of_version_created_and_summary()
    {
        var result = await machine.RunAsync("releases", "-a", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """
            === demo Releases
            version  created               summary
            v3       2026-11-23T10:00:00Z  alice deployed 3f2a1c9
            v2       2026-11-23T09:30:00Z  alice added FOO
            v1       2026-11-23T09:00:00Z  alice created initial release

            """,
            result.Stdout);
    }

    [Fact]
    public async Task The_limit_option_is_sent_as_limit()
    {
        controller.On("GET", "/v2/apps/demo/releases/?limit=2", 200, FakeController.Page([FakeController.Release(3, "a"), FakeController.Release(2, "b")], count: 3));

        var result = await machine.RunAsync("releases:list", "-a", "demo", "--limit", "2");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /v2/apps/demo/releases/?limit=2", Assert.Single(controller.Requests).ToString());
        Assert.StartsWith("=== demo Releases (2 of 3)\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_limit_below_one_is_an_argument_error()
    {
        var result = await machine.RunAsync("releases", "-a", "demo", "--limit", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: --limit must be 1 or more", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task Releases_json_is_the_list_of_releases()
    {
        var result = await machine.RunAsync("releases", "-a", "demo", "--json");

        using var releases = JsonDocument.Parse(result.Stdout);
        Assert.Equal([3, 2, 1], releases.RootElement.EnumerateArray().Select(r => r.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task Release_info_fetches_one_version()
    {
        controller.On("GET", "/v2/apps/demo/releases/v2/", 200, FakeController.Release(2, "alice added FOO", "2026-11-23T09:30:00Z"));

        var result = await machine.RunAsync("releases:info", "v2", "-a", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /v2/apps/demo/releases/v2/", Assert.Single(controller.Requests).ToString());
        Assert.StartsWith("=== demo Release v2\nsummary:  alice added FOO\nowner:    alice\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("v0")]
    [InlineData("v-1")]
    public async Task Release_info_wants_a_version_like_v3(string version)
    {
        var result = await machine.RunAsync("releases:info", version, "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: \"{version}\" is not a release version; expected something like v3\n", result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task Rollback_to_a_version_posts_it_and_prints_the_new_release()
    {
        controller.On("POST", "/v2/apps/demo/releases/rollback/", 201, new { version = 4 });

        var result = await machine.RunAsync("releases:rollback", "v2", "-a", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rollback = Assert.Single(controller.Requests);
        Assert.Equal("POST /v2/apps/demo/releases/rollback/", rollback.ToString());
        Assert.Equal("""{"version":2}""", rollback.Body);
        Assert.Equal("Rolling back to v2... done, v4\n", result.Stdout);
    }

    [Fact]
    public async Task Rollback_without_a_version_sends_an_empty_body()
    {
        controller.On("POST", "/v2/apps/demo/releases/rollback/", 201, new { version = 4 });

        var result = await machine.RunAsync("rollback", "-a", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        var rollback = Assert.Single(controller.Requests);
        Assert.Equal("", rollback.Body);
        Assert.Equal("0", rollback.Header("Content-Length"));
        Assert.Equal("Rolling back one release... done, v4\n", result.Stdout);
    }

    [Fact]
    public async Task Rollback_shows_the_controllers_refusal()
    {
        controller.On(
            "POST", "/v2/apps/demo/releases/rollback/", 400,
            new { title = "Bad Request", status = 400, detail = "Cannot roll back to v1: it has no build." });

        var result = await machine.RunAsync("rollback", "v1", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Rolling back to v1... failed\n", result.Stdout);
        Assert.Equal("Error: Cannot roll back to v1: it has no build.\n", result.Stderr);
    }

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
