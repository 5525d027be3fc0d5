using System.ComponentModel;
using System.Diagnostics;

namespace Paas.Cli.Git;

public sealed record GitResult(int ExitCode, string Output, string Error);

/// <summary>
/// The git repository around the working directory, through the <c>git</c> command (the user's
/// own git, with their config). git runs with exactly the CLI's environment, so HOME, and with it
/// <c>git config --global</c>, is whatever the caller's environment says.
/// </summary>
public sealed class GitRepository(CliEnvironment environment)
{
    public async Task<GitResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? input = null)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = environment.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment.Variables)
        {
            start.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Win32Exception("the process did not start");
        }
        catch (Win32Exception e)
        {
            throw new GitNotFoundException(e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
            return new GitResult(process.ExitCode, await output, await error);
        }
    }

    /// <summary>Runs git and fails with git's own message when git does.</summary>
    public async Task<string> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            var message = result.Error.Trim().ReplaceLineEndings(" ");
            throw new CliException($"git {string.Join(' ', arguments)} failed: {(message.Length > 0 ? message : $"exit code {result.ExitCode}")}");
        }

        return result.Output;
    }

    /// <summary>True inside a git work tree; false outside one, and when git is not installed.</summary>
    public async Task<bool> IsInsideWorkTreeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync(["rev-parse", "--is-inside-work-tree"], cancellationToken);
            return result.ExitCode == 0 && result.Output.Trim() == "true";
        }
        catch (GitNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The remote's URL; null when there is no such remote, no repository or no git.</summary>
    public async Task<string?> GetRemoteUrlAsync(string remote, CancellationToken cancellationToken)
    {
        try
        {
            var result = await RunAsync(["remote", "get-url", remote], cancellationToken);
            var url = result.Output.Trim();
            return result.ExitCode == 0 && url.Length > 0 ? url : null;
        }
        catch (GitNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Every remote with its URL.</summary>
    public async Task<IReadOnlyList<(string Name, string Url)>> ListRemotesAsync(CancellationToken cancellationToken)
    {
        var names = await RunCheckedAsync(["remote"], cancellationToken);
        var remotes = new List<(string, string)>();
        foreach (var name in names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (await GetRemoteUrlAsync(name, cancellationToken) is { } url)
            {
                remotes.Add((name, url));
            }
        }

        return remotes;
    }

    public Task AddRemoteAsync(string name, string url, CancellationToken cancellationToken) =>
        RunCheckedAsync(["remote", "add", name, url], cancellationToken);

    public Task RemoveRemoteAsync(string name, CancellationToken cancellationToken) =>
        RunCheckedAsync(["remote", "remove", name], cancellationToken);

    /// <summary>
    /// The app a push URL leads to: its last path segment without <c>.git</c>
    /// (<c>http://127.0.0.1:8001/demo.git</c> and <c>ssh://git@host:2222/demo.git</c> give <c>demo</c>).
    /// </summary>
    public static string? AppFromRemoteUrl(string url)
    {
        var path = url.Trim().TrimEnd('/');
        var cut = path.LastIndexOfAny(['/', ':']);
        var segment = cut >= 0 ? path[(cut + 1)..] : path;
        if (segment.EndsWith(".git", StringComparison.Ordinal))
        {
            segment = segment[..^".git".Length];
        }

        return segment.Length > 0 ? segment : null;
    }

    /// <summary>Two spellings of one push URL (a trailing slash or <c>.git</c> makes no difference to git).</summary>
    public static bool SameUrl(string left, string right)
    {
        static string Canonical(string url)
        {
            var trimmed = url.Trim().TrimEnd('/');
            return trimmed.EndsWith(".git", StringComparison.Ordinal) ? trimmed[..^".git".Length] : trimmed;
        }

        return string.Equals(Canonical(left), Canonical(right), StringComparison.Ordinal);
    }
}

public sealed class GitNotFoundException(Exception inner)
    : CliException($"Cannot run git ({inner.Message}); install git or put it on PATH", inner);
