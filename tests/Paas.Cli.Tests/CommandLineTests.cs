using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>The command line itself: version, help, argument errors.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly CliHarness machine = new();

    [Fact]
    public async Task Version_prints_the_cli_version()
    {
        var result = await machine.RunAsync("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+\n$", result.Stdout);
    }

    [Fact]
    public async Task Without_a_command_help_lists_the_commands_and_their_shortcuts()
    {
        var result = await machine.RunAsync();

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  paas [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("auth:login, login <URL>", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("apps, apps:list", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_is_an_error()
    {
        var result = await machine.RunAsync("apps:frobnicate");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("Error: Unrecognized command or argument 'apps:frobnicate'. (see: paas --help)\n", result.Stderr);
    }

    [Fact]
    public async Task A_missing_argument_points_at_the_commands_help()
    {
        var result = await machine.RunAsync("releases:info", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: ", result.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("(see: paas releases:info --help)\n", result.Stderr, StringComparison.Ordinal);
    }

    public void Dispose() => machine.Dispose();
}
