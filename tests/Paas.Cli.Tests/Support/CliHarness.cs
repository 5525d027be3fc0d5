using System.Collections;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Paas.Cli.Tests.Support;

public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}--- stderr\n{Stderr}";
}

public sealed record RunningCli(LiveWriter Stdout, Task<CliResult> Completion);

/// <summary>A TextWriter that tests can read while the CLI still writes to it (from another thread).</summary>
public sealed class LiveWriter : TextWriter
{
    private readonly StringBuilder text = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (text)
        {
            text.Append(value);
        }
    }

    public override void Write(string? value)
    {
        lock (text)
        {
            text.Append(value);
        }
    }

    public override string ToString()
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    /// <summary>True as soon as <paramref name="expected"/> has been written; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForAsync(string expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!ToString().Contains(expected, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}

/// <summary>
/// One user's machine for a test: its own HOME (so the profile and <c>git config --global</c>
/// land in a temporary directory), a working directory, and the environment the CLI sees. The CLI
/// runs in-process through <see cref="Cli.RunAsync"/>; git runs for real.
/// </summary>
public sealed class CliHarness : IDisposable
{
    private static readonly string[] ScrubbedPrefixes = ["GIT_", "PAAS_"];

    public CliHarness()
    {
        Root = Directory.CreateTempSubdirectory("paas-cli-test-").FullName;
        Home = Directory.CreateDirectory(Path.Combine(Root, "home")).FullName;
        WorkingDirectory = Directory.CreateDirectory(Path.Combine(Root, "work")).FullName;

        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var name = (string)entry.Key;
            if (!ScrubbedPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) && name != "XDG_CONFIG_HOME")
            {
                Variables[name] = entry.Value as string ?? "";
            }
        }

        Variables["HOME"] = Home;
        Variables["GIT_CONFIG_NOSYSTEM"] = "1"; // the machine's /etc/gitconfig must not change what the tests see
        Variables["GIT_TERMINAL_PROMPT"] = "0"; // git fails instead of asking when no helper answers
        Variables["PAAS_CLI_PATH"] = CliWrapper.Value;
    }

    public string Root { get; }
    public string Home { get; }
    public string WorkingDirectory { get; set; }
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    public bool IsInputTerminal { get; set; }
    public string Stdin { get; set; } = "";

    public string ProfilePath => Path.Combine(Home, ".paas", "client.json");

    public Task<CliResult> RunAsync(params string[] args) => Start(args).Completion;

    /// <summary>
    /// Starts the CLI without waiting for it: the test watches <see cref="RunningCli.Stdout"/> as
    /// it is written and may cancel the run (as Ctrl-C does).
    /// </summary>
    public RunningCli Start(string[] args, CancellationToken cancellationToken = default)
    {
        var stdout = new LiveWriter();
        var stderr = new LiveWriter();
        var environment = new CliEnvironment
        {
            Out = stdout,
            Error = stderr,
            In = new StringReader(Stdin),
            WorkingDirectory = WorkingDirectory,
            Variables = new Dictionary<string, string>(Variables),
            IsInputTerminal = IsInputTerminal,
            IsOutputTerminal = false,
            ProcessPath = Environment.ProcessPath,
        };
        return new RunningCli(stdout, RunAsync());

        async Task<CliResult> RunAsync()
        {
            await Task.Yield(); // the caller gets the RunningCli before the CLI does anything
            var exitCode = await Cli.RunAsync(args, environment, cancellationToken);
            return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
        }
    }

    /// <summary>Writes a profile as <c>auth:login</c> would, without going through the CLI.</summary>
    public void LogIn(string controller, string username = "alice", string token = "t0k3n-alice")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ProfilePath)!);
        File.WriteAllText(ProfilePath, JsonSerializer.Serialize(new { controller, username, token }));
    }

    /// <summary>Runs the real git in the working directory with this machine's environment.</summary>
    public string Git(params string[] args) => RunGit(args, input: null).Output;

    public (int ExitCode, string Output, string Error) RunGit(string[] args, string? input)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Clear();
        foreach (var (name, value) in Variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input ?? "");
        process.StandardInput.Close();
        process.WaitForExit();
        var result = (process.ExitCode, output.Result, error.Result);
        if (input is null && result.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {result.Item3}");
        }

        return result;
    }

    /// <summary>Makes the working directory a git repository.</summary>
    public void InitRepository() => Git("init", "--quiet");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a git process still exiting; the temporary directory is cleaned up eventually anyway
        }
    }

    /// <summary>
    /// The executable git calls as the credential helper: a script that runs the built
    /// <c>paas.dll</c> (copied next to the tests) with the dotnet host, as scripts/up's wrapper does.
    /// </summary>
    private static readonly Lazy<string> CliWrapper = new(() =>
    {
        var dll = typeof(Cli).Assembly.Location;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var script = Path.Combine(AppContext.BaseDirectory, "paas-test-wrapper");
        File.WriteAllText(script, $"#!/bin/sh\nexec '{dotnet}' '{dll}' \"$@\"\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    });
}
