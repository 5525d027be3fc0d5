using System.Diagnostics;
using Paas.Testing;

namespace Paas.EndToEnd.Tests.Support;

/// <summary>
/// A `paas` command left running (logs -f, a slow run), whose output a test watches line by line as a
/// person at the terminal would, noting when each line arrived. Disposing it stops it (Ctrl-C's job).
/// </summary>
public sealed class RunningCommand : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<(DateTimeOffset At, string Text)> lines = [];
    private readonly System.Text.StringBuilder stderr = new();

    private RunningCommand(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add((DateTimeOffset.UtcNow, e.Data));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts `paas ARGS` as <paramref name="user"/> in <paramref name="cwd"/>.</summary>
    public static RunningCommand Start(User user, string cwd, params string[] args)
    {
        var start = new ProcessStartInfo(user.CliPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = cwd,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["HOME"] = user.Home;
        start.Environment["PAAS_CLI_PATH"] = user.CliPath;
        start.Environment.Remove("PAAS_PROFILE");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start paas");
        process.StandardInput.Close();
        return new RunningCommand(process);
    }

    public IReadOnlyList<(DateTimeOffset At, string Text)> Lines
    {
        get
        {
            lock (lines) return [.. lines];
        }
    }

    public string Stderr
    {
        get
        {
            lock (stderr) return stderr.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    /// <summary>Waits until the output has a line <paramref name="wanted"/> accepts; returns it.</summary>
    public async Task<(DateTimeOffset At, string Text)> WaitForLineAsync(Func<string, bool> wanted, string what, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        while (DateTimeOffset.UtcNow < deadline)
        {
            foreach (var line in Lines)
                if (wanted(line.Text)) return line;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException(
            $"paas printed no line with {what} within {(within ?? TimeSpan.FromSeconds(20)).TotalSeconds} s. Output:\n"
            + string.Join('\n', Lines.Select(l => l.Text)) + "\nstderr:\n" + Stderr);
    }

    /// <summary>Waits for the command to end by itself; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        using var cts = new CancellationTokenSource(within);
        await process.WaitForExitAsync(cts.Token);
        process.WaitForExit(); // the last lines
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
