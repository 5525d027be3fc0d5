using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace Paas.Builder.Git;

/// <summary>The bare repository of each app, created on its first push, with the Paas pre-receive hook.</summary>
public sealed class Repositories(IOptions<BuilderOptions> options, ILogger<Repositories> logger)
{
    /// <summary>
    /// Installed as hooks/pre-receive: hands the pushed refs to the builder and streams its output back
    /// to `git push` (git prefixes it with "remote:"). The builder ends with "::paas-exit N"; a
    /// non-zero N rejects the push, so a failed build changes neither the repository nor the app.
    /// </summary>
    public const string PreReceiveHook = """
        #!/bin/sh
        # Installed by the Paas builder. Do not edit: the builder rewrites it on every push.
        rc_file=$(mktemp)
        echo 1 >"$rc_file"
        curl -sS -N -X POST -H "X-Paas-Push: ${PAAS_PUSH_ID}" -H "X-Paas-Quarantine: ${GIT_QUARANTINE_PATH:-}" \
          --data-binary @- "${PAAS_HOOK_URL}" 2>&1 |
        while IFS= read -r line || [ -n "$line" ]; do
          case "$line" in
            "::paas-exit "*) echo "${line#::paas-exit }" >"$rc_file" ;;
            *) printf '%s\n' "$line" ;;
          esac
        done
        rc=$(cat "$rc_file")
        rm -f "$rc_file"
        exit "$rc"

        """;

    /// <summary>
    /// `git receive-pack` or `git upload-pack` for a repository, with the push size limit: git's own
    /// receive.maxInputSize makes index-pack stop an oversized pack and tell the pusher
    /// ("pack exceeds maximum allowed size"), before anything is stored.
    /// </summary>
    public static ProcessStartInfo GitStartInfo(BuilderOptions options, string service, string repositoryPath, bool statelessRpc, bool advertise = false)
    {
        var start = new ProcessStartInfo(options.Git)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"receive.maxInputSize={(long)options.MaxPushMegabytes * 1024 * 1024}");
        start.ArgumentList.Add(service);
        if (statelessRpc) start.ArgumentList.Add("--stateless-rpc");
        if (advertise) start.ArgumentList.Add("--advertise-refs");
        start.ArgumentList.Add(repositoryPath);
        return start;
    }

    public string PathOf(string app) => Path.Combine(options.Value.GitRoot, app + ".git");

    /// <summary>Creates the bare repository if needed and (re)writes its hook. Idempotent.</summary>
    public async Task<string> EnsureAsync(string app, CancellationToken ct)
    {
        var path = PathOf(app);
        if (!File.Exists(Path.Combine(path, "HEAD")))
        {
            Directory.CreateDirectory(options.Value.GitRoot);
            await RunGitAsync(["init", "--bare", "--quiet", "--initial-branch=main", path], ct);
            logger.LogInformation("Created repository {Path}", path);
        }
        var hook = Path.Combine(path, "hooks", "pre-receive");
        if (!File.Exists(hook) || await File.ReadAllTextAsync(hook, ct) != PreReceiveHook)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(hook)!);
            await File.WriteAllTextAsync(hook, PreReceiveHook, ct);
            File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        return path;
    }

    public void Delete(string app)
    {
        var path = PathOf(app);
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
            logger.LogInformation("Deleted repository {Path}", path);
        }
    }

    private async Task RunGitAsync(string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.Value.Git) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {stderr.Trim()}");
    }
}
