using System.Diagnostics;
using Paas.Cli.Git;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>
/// git push authenticates with the user's token: apps:create and git:remote configure git, and
/// git itself (the real one, in the test's HOME) then gets the token from <c>paas git:credentials</c>.
/// </summary>
public sealed class CredentialHelperTests : IAsyncLifetime, IDisposable
{
    private const string BuilderOrigin = "http://127.0.0.1:8001";
    private const string Token = "t0k3n-alice";

    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        machine.LogIn(controller.Url, "alice", Token);
        controller
            .On("POST", "/v2/apps/", 201, FakeController.App("demo", BuilderOrigin + "/demo.git"))
            .WithApp("demo", BuilderOrigin + "/demo.git");
    }

    [Fact]
    public async Task After_apps_create_git_gets_the_token_for_the_builder()
    {
        machine.InitRepository();

        var create = await machine.RunAsync("apps:create", "demo");
        var fill = machine.RunGit(["credential", "fill"], "protocol=http\nhost=127.0.0.1:8001\npath=demo.git\n\n");

        Assert.True(create.ExitCode == 0, create.ToString());
        Assert.True(fill.ExitCode == 0, fill.Error);
        Assert.Contains("username=alice\n", fill.Output, StringComparison.Ordinal);
        Assert.Contains($"password={Token}\n", fill.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_git_remote_git_gets_the_token_and_no_other_host_does()
    {
        machine.InitRepository();

        var remote = await machine.RunAsync("git:remote", "-a", "demo");
        var otherHost = machine.RunGit(["credential", "fill"], "protocol=http\nhost=127.0.0.1:9999\n\n");
        var builder = machine.RunGit(["credential", "fill"], "protocol=http\nhost=127.0.0.1:8001\n\n");

        Assert.True(remote.ExitCode == 0, remote.ToString());
        Assert.NotEqual(0, otherHost.ExitCode); // no helper, no terminal: git gives up
        Assert.DoesNotContain(Token, otherHost.Output, StringComparison.Ordinal);
        Assert.Contains($"password={Token}\n", builder.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_wins_over_a_stale_password_in_a_general_helper()
    {
        File.WriteAllText(Path.Combine(machine.Home, ".git-credentials"), "http://alice:old-password@127.0.0.1%3a8001\n");
        machine.Git("config", "--global", "credential.helper", "store");
        machine.InitRepository();

        await machine.RunAsync("git:remote", "-a", "demo");
        var fill = machine.RunGit(["credential", "fill"], "protocol=http\nhost=127.0.0.1:8001\n\n");

        Assert.Contains($"password={Token}\n", fill.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Configuring_again_replaces_the_earlier_helper_for_that_origin()
    {
        machine.Git("config", "--global", "--add", $"credential.{BuilderOrigin}.helper", "!/old/paas git:credentials");
        machine.Git("config", "--global", "--add", $"credential.{BuilderOrigin}.helper", "!/older/paas git:credentials");
        machine.InitRepository();

        await machine.RunAsync("git:remote", "-a", "demo");

        var helpers = machine.Git("config", "--global", "--get-all", $"credential.{BuilderOrigin}.helper");
        Assert.Equal($"\n!{machine.Variables["PAAS_CLI_PATH"]} git:credentials\n", helpers);
    }

    [Fact]
    public async Task The_helper_answers_get_with_the_profile_and_ignores_store_and_erase()
    {
        machine.Stdin = "protocol=http\nhost=127.0.0.1:8001\n\n";

        var get = await machine.RunAsync("git:credentials", "get");
        var store = await machine.RunAsync("git:credentials", "store");
        var erase = await machine.RunAsync("git:credentials", "erase");

        Assert.Equal($"username=alice\npassword={Token}\n", get.Stdout);
        Assert.Equal((0, ""), (store.ExitCode, store.Stdout));
        Assert.Equal((0, ""), (erase.ExitCode, erase.Stdout));
    }

    [Fact]
    public async Task Without_a_profile_the_helper_answers_nothing()
    {
        File.Delete(machine.ProfilePath);
        machine.Stdin = "protocol=http\nhost=127.0.0.1:8001\n\n";

        var get = await machine.RunAsync("git:credentials", "get");

        Assert.Equal((0, "", ""), (get.ExitCode, get.Stdout, get.Stderr));
    }

    [Fact]
    public async Task The_helper_is_not_listed_in_help()
    {
        var help = await machine.RunAsync("--help");

        Assert.Contains("git:remote", help.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("git:credentials", help.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/opt/paas/bin/paas-wrapper", "/usr/share/dotnet/dotnet", "/opt/paas/paas.dll", "/opt/paas/bin/paas-wrapper")]
    [InlineData(null, "/usr/share/dotnet/dotnet", "/opt/paas/paas.dll", "/usr/share/dotnet/dotnet /opt/paas/paas.dll")]
    [InlineData(null, "/usr/local/bin/paas", "/usr/local/bin/paas.dll", "/usr/local/bin/paas")]
    [InlineData(null, "/home/al ice/My Tools/paas", "", "'/home/al ice/My Tools/paas'")]
    public void The_helper_command_is_the_cli_path_else_this_executable(string? cliPath, string processPath, string assembly, string expected) =>
        Assert.Equal(expected, CredentialHelper.CommandLine(cliPath, processPath, assembly));

    [Theory]
    [InlineData("/plain/path")]
    [InlineData("/home/al ice/paas")]
    [InlineData("/tmp/it's here/paas")]
    [InlineData("/tmp/$HOME `x` \"q\"")]
    public void Shell_quoting_gives_sh_back_the_same_word(string word)
    {
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("printf %s " + CredentialHelper.ShellQuote(word));
        using var sh = Process.Start(start)!;
        var printed = sh.StandardOutput.ReadToEnd();
        sh.WaitForExit();

        Assert.Equal(word, printed);
    }

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
