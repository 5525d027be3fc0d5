using Paas.Testing;

namespace Paas.EndToEnd.Tests.Support;

/// <summary>
/// The app most end-to-end tests deploy: busybox httpd serving <c>/index.html</c> and a CGI script,
/// <c>/cgi-bin/env?NAME</c>, that answers with the value of the environment variable NAME exactly as the
/// web process sees it (so a test sees what config reached the running process) and writes
/// <c>served NAME</c> to the process's stderr (so it shows in the app's logs). With a Procfile it also
/// declares a <c>worker</c> that prints <c>worker tick</c> every second.
/// </summary>
public static class SampleApp
{
    public const string Dockerfile = """
        FROM paas/busybox
        COPY www /www
        CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]

        """;

    private const string EnvScript = """
        #!/bin/sh
        case "$QUERY_STRING" in ''|*[!A-Za-z0-9_]*) printf 'Status: 400\r\n\r\nbad name\n'; exit 0 ;; esac
        echo "served $QUERY_STRING" >&2
        printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
        eval "printf '%s' \"\${$QUERY_STRING}\""

        """;

    /// <summary>web says which release starts it; worker ticks once a second.</summary>
    public const string Procfile = """
        web: echo "web $PAAS_RELEASE listening on $PORT"; exec httpd -f -p $PORT -h /www
        worker: while true; do echo "worker tick $PAAS_RELEASE"; sleep 1; done

        """;

    /// <summary>A git repository (branch main, one commit) holding the app; <paramref name="text"/> is its index page.</summary>
    public static async Task<string> NewRepositoryAsync(User user, string name, string text, bool withWorker = false)
    {
        var dir = Path.Combine(user.Home, "src", name);
        Directory.CreateDirectory(Path.Combine(dir, "www", "cgi-bin"));
        await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"), Dockerfile);
        await File.WriteAllTextAsync(Path.Combine(dir, "www", "index.html"), text + "\n");
        var script = Path.Combine(dir, "www", "cgi-bin", "env");
        await File.WriteAllTextAsync(script, EnvScript);
        File.SetUnixFileMode(script, (UnixFileMode)0b111_101_101);
        if (withWorker) await File.WriteAllTextAsync(Path.Combine(dir, "Procfile"), Procfile);
        (await user.Git(dir, "init", "-q", "-b", "main")).ShouldSucceed("git init");
        await user.CommitAllAsync(dir, "first version");
        return dir;
    }

    /// <summary>Changes the index page and pushes it; returns the push (its output ends with the release).</summary>
    public static async Task<CommandResult> PushNewTextAsync(User user, string repo, string text)
    {
        await File.WriteAllTextAsync(Path.Combine(repo, "www", "index.html"), text + "\n");
        await user.CommitAllAsync(repo, $"serve {text}");
        return (await user.Git(repo, "push", "paas", "main")).ShouldSucceed("git push");
    }
}
