using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>apps:create, apps:list, apps:info, apps:destroy and git:remote, against a canned controller.</summary>
public sealed class AppsCommandsTests : IAsyncLifetime, IDisposable
{
    private const string BuilderOrigin = "http://127.0.0.1:8001";
    private const string DemoGitUrl = BuilderOrigin + "/demo.git";

    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        machine.LogIn(controller.Url);
        controller
            .On("POST", "/v2/apps/", 201, FakeController.App("demo", DemoGitUrl))
            .WithApp("demo", DemoGitUrl, FakeController.Release(3, "alice deployed 3f2a1c9"), FakeController.Release(2, "alice added FOO"))
            .On("DELETE", "/v2/apps/demo/", 204);
    }

    [Fact]
    public async Task Create_without_a_name_posts_an_empty_body_with_the_api_headers()
    {
        controller.On("POST", "/v2/apps/", 201, FakeController.App("brave-otter", BuilderOrigin + "/brave-otter.git"));

        var result = await machine.RunAsync("apps:create");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Creating app... done, created brave-otter\n", result.Stdout);
        var create = Assert.Single(controller.Requests);
        Assert.Equal("POST /v2/apps/", create.ToString());
        Assert.Equal("", create.Body);
        Assert.Equal("0", create.Header("Content-Length"));
        Assert.Equal("token t0k3n-alice", create.Header("Authorization"));
        Assert.Equal("application/json, application/problem+json", create.Header("Accept"));
        Assert.Equal($"paas-cli/{Api.ControllerClient.Version}", create.Header("User-Agent"));
    }

    [Fact]
    public async Task Create_with_a_name_posts_the_id()
    {
        var result = await machine.RunAsync("create", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"id":"demo"}""", Assert.Single(controller.Requests).Body);
        Assert.Equal("Creating app... done, created demo\n", result.Stdout);
    }

    [Fact]
    public async Task Create_inside_a_repository_adds_the_paas_remote_from_the_git_url()
    {
        machine.InitRepository();

        var result = await machine.RunAsync("apps:create", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Creating app... done, created demo\nGit remote paas added\n", result.Stdout);
        Assert.Equal(DemoGitUrl + "\n", machine.Git("remote", "get-url", "paas"));
    }

    [Fact]
    public async Task Create_can_name_the_remote_or_add_none()
    {
        machine.InitRepository();

        var named = await machine.RunAsync("apps:create", "demo", "--remote", "staging");
        var none = await machine.RunAsync("apps:create", "demo", "--no-remote");

        Assert.Contains("Git remote staging added", named.Stdout, StringComparison.Ordinal);
        Assert.Equal("Creating app... done, created demo\n", none.Stdout);
        Assert.Equal("staging\n", machine.Git("remote"));
    }

    [Fact]
    public async Task Create_refuses_before_creating_anything_when_the_remote_already_exists()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "paas", BuilderOrigin + "/older.git");

        var result = await machine.RunAsync("apps:create", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already has a git remote \"paas\"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("paas git:remote -a NAME", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--remote OTHER", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(controller.Requests);
        Assert.Equal(BuilderOrigin + "/older.git\n", machine.Git("remote", "get-url", "paas"));
    }

    [Fact]
    public async Task List_follows_the_pages_by_offset()
    {
        var first = Enumerable.Range(1, 100).Select(i => (object)new { id = $"app-{i:000}" }).ToArray();
        controller
            .On("GET", "/v2/apps/?limit=100", 200, FakeController.Page(first, count: 101, next: "http://internal:8000/v2/apps/?limit=100&offset=100"))
            .On("GET", "/v2/apps/?limit=100&offset=100", 200, FakeController.Page([new { id = "app-101" }], count: 101));

        var result = await machine.RunAsync("apps");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("=== Apps", lines[0]);
        Assert.Equal(Enumerable.Range(1, 101).Select(i => $"app-{i:000}"), lines.Skip(1));
        Assert.Equal(["GET /v2/apps/?limit=100", "GET /v2/apps/?limit=100&offset=100"], controller.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task List_json_prints_the_apps_with_every_field()
    {
        controller.On("GET", "/v2/apps/?limit=100", 200, FakeController.Page([FakeController.App("demo", DemoGitUrl)]));

        var result = await machine.RunAsync("apps:list", "--json");

        using var apps = JsonDocument.Parse(result.Stdout);
        var app = Assert.Single(apps.RootElement.EnumerateArray());
        Assert.Equal("demo", app.GetProperty("id").GetString());
        Assert.Equal(DemoGitUrl, app.GetProperty("git_url").GetString());
        Assert.Equal(1, app.GetProperty("structure").GetProperty("web").GetInt32());
    }

    [Fact]
    public async Task Info_shows_the_app_and_its_latest_release()
    {
        var result = await machine.RunAsync("info", "-a", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """
            === demo Application
            id:         demo
            owner:      alice
            url:        demo.localhost
            web url:    http://demo.localhost:8080
            git url:    http://127.0.0.1:8001/demo.git
            structure:  web=1
            release:    v3
            created:    2026-11-23T09:00:00Z
            updated:    2026-11-23T10:00:00Z
            uuid:       0f3c5a52-6b1e-4d0c-9a57-2d9a3b1e8f10

            """,
            result.Stdout);
        Assert.Equal(["GET /v2/apps/demo/", "GET /v2/apps/demo/releases/?limit=1"], controller.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Destroy_without_confirm_and_without_a_terminal_refuses_and_sends_nothing()
    {
        var result = await machine.RunAsync("apps:destroy", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --confirm demo is required to destroy demo (there is no terminal to ask on)\n", result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task Destroy_with_a_confirmation_that_does_not_match_refuses()
    {
        var result = await machine.RunAsync("destroy", "-a", "demo", "--confirm", "dmeo");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Not destroying demo", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(controller.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task Destroy_deletes_the_app_and_only_the_remotes_that_point_at_it()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "paas", DemoGitUrl);
        machine.Git("remote", "add", "origin", "https://github.com/alice/demo.git");

        var result = await machine.RunAsync("apps:destroy", "--confirm", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Destroying demo... done\nGit remote paas removed\n", result.Stdout);
        Assert.Equal("DELETE /v2/apps/demo/", controller.Requests[^1].ToString());
        Assert.Equal("origin\n", machine.Git("remote"));
    }

    [Fact]
    public async Task Git_remote_adds_the_remote_for_an_existing_app_once()
    {
        machine.InitRepository();

        var first = await machine.RunAsync("git:remote", "-a", "demo");
        var again = await machine.RunAsync("git:remote", "-a", "demo");
        machine.Git("remote", "set-url", "paas", BuilderOrigin + "/other.git");
        var clash = await machine.RunAsync("git:remote", "-a", "demo");

        Assert.Equal("Git remote paas added\n", first.Stdout);
        Assert.Equal("Git remote paas already points at demo\n", again.Stdout);
        Assert.Equal(1, clash.ExitCode);
        Assert.Contains("--remote NAME", clash.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Git_remote_outside_a_repository_says_so()
    {
        var result = await machine.RunAsync("git:remote", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: Not inside a git repository", result.Stderr, StringComparison.Ordinal);
    }

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
