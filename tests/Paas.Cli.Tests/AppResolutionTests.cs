using Paas.Cli.Git;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>Which app a command acts on: <c>-a</c>, else the repository's <c>paas</c> remote.</summary>
public sealed class AppResolutionTests : IAsyncLifetime, IDisposable
{
    private const string NoAppMessage =
        "Error: No app specified. Use -a APP, or run this inside a git repository with a \"paas\" remote (paas git:remote -a APP).\n";

    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        machine.LogIn(controller.Url);
        controller.WithApp("demo", "http://127.0.0.1:8001/demo.git", FakeController.Release(1, "alice created initial release"));
        controller.WithApp("other", "http://127.0.0.1:8001/other.git", FakeController.Release(4, "alice deployed 3f2a1c9"));
    }

    [Fact]
    public async Task The_app_comes_from_the_paas_remote_of_the_current_repository()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "paas", "http://127.0.0.1:8001/demo.git");

        var result = await machine.RunAsync("releases");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["GET /v2/apps/demo/releases/?limit=100"], controller.Requests.Select(r => r.ToString()));
        Assert.StartsWith("=== demo Releases\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_remote_is_found_from_a_subdirectory_of_the_repository()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "paas", "http://127.0.0.1:8001/demo.git");
        machine.WorkingDirectory = Directory.CreateDirectory(Path.Combine(machine.WorkingDirectory, "src", "web")).FullName;

        var result = await machine.RunAsync("apps:info");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("GET /v2/apps/demo/", controller.Requests[0].ToString());
    }

    [Fact]
    public async Task The_app_option_overrides_the_remote()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "paas", "http://127.0.0.1:8001/demo.git");

        var result = await machine.RunAsync("releases", "-a", "other");
        var longForm = await machine.RunAsync("releases", "--app", "other");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0, longForm.ExitCode);
        Assert.Equal(
            ["GET /v2/apps/other/releases/?limit=100", "GET /v2/apps/other/releases/?limit=100"],
            controller.Requests.Select(r => r.ToString()));
    }

    [Fact]
    public async Task Outside_a_repository_without_the_app_option_the_user_is_told_what_to_do()
    {
        var result = await machine.RunAsync("releases");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(NoAppMessage, result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task A_repository_whose_remotes_are_not_called_paas_names_no_app()
    {
        machine.InitRepository();
        machine.Git("remote", "add", "origin", "https://github.com/alice/demo.git");

        var result = await machine.RunAsync("apps:info");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(NoAppMessage, result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8001/demo.git", "demo")]
    [InlineData("http://builder.example.test/demo.git/", "demo")]
    [InlineData("https://builder.example.test:8443/my-app", "my-app")]
    [InlineData("ssh://git@deis-builder.example.test:2222/demo.git", "demo")]
    [InlineData("git@builder.example.test:demo.git", "demo")]
    public void The_app_is_the_last_segment_of_the_remote_url_without_dot_git(string url, string app) =>
        Assert.Equal(app, GitRepository.AppFromRemoteUrl(url));

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
