using System.Net.Http.Headers;
using System.Text.Json;

namespace Paas.Testing;

/// <summary>
/// A person using the platform: their own home directory (CLI profile, git config), the paas CLI
/// and git, run as processes as they would run them.
/// </summary>
public sealed class User
{
    private readonly PlatformFixture platform;

    internal User(PlatformFixture platform, string username, string password)
    {
        this.platform = platform;
        Username = username;
        Password = password;
        Home = Path.Combine(platform.StateDirectory, "homes", username);
        Directory.CreateDirectory(Home);
        // What scripts/up installs as `paas`: a wrapper git can call back as its credential helper.
        CliPath = Path.Combine(Home, "paas");
        File.WriteAllText(CliPath, $"#!/bin/sh\nexec dotnet '{platform.Env["PAAS_CLI_DLL"]}' \"$@\"\n");
        File.SetUnixFileMode(CliPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Username { get; }
    public string Password { get; }
    public string Home { get; }
    public string CliPath { get; }

    public string Token =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Home, ".paas", "client.json"))).RootElement.GetProperty("token").GetString()!;

    private Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = Home,
        ["PAAS_CLI_PATH"] = CliPath,
        ["PAAS_PROFILE"] = null,
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = Username,
        ["GIT_AUTHOR_EMAIL"] = $"{Username}@example.com",
        ["GIT_COMMITTER_NAME"] = Username,
        ["GIT_COMMITTER_EMAIL"] = $"{Username}@example.com",
    };

    /// <summary>Runs `paas ARGS` in the user's home (or <paramref name="cwd"/>).</summary>
    public Task<CommandResult> Paas(params string[] args) => PaasIn(Home, args);

    public Task<CommandResult> PaasIn(string cwd, params string[] args) =>
        Processes.RunAsync(CliPath, args, cwd, Environment(), TimeSpan.FromMinutes(3));

    /// <summary>Runs `git ARGS` with extra environment variables (e.g. GIT_SSH_COMMAND for an SSH push).</summary>
    public Task<CommandResult> GitWith(IReadOnlyDictionary<string, string> extra, string cwd, params string[] args)
    {
        var environment = Environment();
        foreach (var (key, value) in extra) environment[key] = value;
        return Processes.RunAsync("git", args, cwd, environment, TimeSpan.FromMinutes(5));
    }

    /// <summary>Runs `git ARGS` in <paramref name="cwd"/> with the user's home (and so their credentials).</summary>
    public Task<CommandResult> Git(string cwd, params string[] args) =>
        Processes.RunAsync("git", args, cwd, Environment(), TimeSpan.FromMinutes(5));

    /// <summary>An HttpClient for the controller's API with this user's token.</summary>
    public HttpClient Api()
    {
        var http = new HttpClient { BaseAddress = new Uri(platform.ControllerUrl), Timeout = TimeSpan.FromMinutes(3) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
        return http;
    }

    /// <summary>
    /// A git repository holding a Dockerfile app that serves <paramref name="text"/> at / on $PORT
    /// (busybox httpd on the locally made paas/busybox image, so nothing is pulled).
    /// </summary>
    public async Task<string> NewAppRepositoryAsync(string name, string text)
    {
        var dir = Path.Combine(Home, "src", name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"), SampleApps.HttpdDockerfile);
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), text + "\n");
        (await Git(dir, "init", "-q", "-b", "main")).ShouldSucceed("git init");
        await CommitAllAsync(dir, "first version");
        return dir;
    }

    public async Task CommitAllAsync(string dir, string message)
    {
        (await Git(dir, "add", "-A")).ShouldSucceed("git add");
        (await Git(dir, "commit", "-q", "-m", message)).ShouldSucceed("git commit");
    }
}

public static class SampleApps
{
    public const string HttpdDockerfile = "FROM paas/busybox\nCOPY index.html /www/index.html\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /www\"]\n";
}
