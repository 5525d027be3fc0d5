using Paas.Testing;

namespace Paas.Chart.Tests;

/// <summary>
/// Someone on this machine using the platform installed in the cluster: their own home (CLI profile, git
/// credentials), the paas CLI and git, run as processes.
/// </summary>
public sealed class ClusterUser
{
    public ClusterUser(string root, string name)
    {
        Name = name;
        Home = Path.Combine(root, "homes", name);
        Directory.CreateDirectory(Home);
        // What scripts/up installs as `paas`: a wrapper git calls back as its credential helper.
        var dll = Path.Combine(RepoPaths.Root, "cli", "Paas.Cli", "bin", RepoPaths.Configuration, "net10.0", "paas.dll");
        Cli = Path.Combine(Home, "paas");
        File.WriteAllText(Cli, $"#!/bin/sh\nexec dotnet '{dll}' \"$@\"\n");
        File.SetUnixFileMode(Cli, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Name { get; }
    public string Home { get; }
    public string Cli { get; }

    private Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = Home,
        ["PAAS_CLI_PATH"] = Cli,
        ["PAAS_PROFILE"] = null,
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = Name,
        ["GIT_AUTHOR_EMAIL"] = $"{Name}@example.com",
        ["GIT_COMMITTER_NAME"] = Name,
        ["GIT_COMMITTER_EMAIL"] = $"{Name}@example.com",
    };

    public Task<CommandResult> Paas(params string[] args) => PaasIn(Home, args);

    public Task<CommandResult> PaasIn(string cwd, params string[] args) =>
        Processes.RunAsync(Cli, args, cwd, Environment(), TimeSpan.FromMinutes(4));

    /// <summary>The real deis CLI, with this user's home (its profile goes to ~/.deis).</summary>
    public Task<CommandResult> Deis(string binary, params string[] args) =>
        Processes.RunAsync(binary, args, Home, Environment(), TimeSpan.FromMinutes(4));

    /// <summary>A git repository with only an index.html: no Dockerfile, so the static buildpack builds it.</summary>
    public async Task<string> NewStaticSiteAsync(string name, string text)
    {
        var dir = Path.Combine(Home, "src", name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), text + "\n");
        (await Git(dir, "init", "-q", "-b", "main")).ShouldSucceed("git init");
        await CommitAsync(dir, "a static site");
        return dir;
    }

    public Task<CommandResult> Git(string cwd, params string[] args) =>
        Processes.RunAsync("git", args, cwd, Environment(), TimeSpan.FromMinutes(8));

    /// <summary>A git repository with a Dockerfile app on paas/busybox that logs a line and serves <paramref name="text"/>.</summary>
    public async Task<string> NewAppAsync(string name, string text)
    {
        var dir = Path.Combine(Home, "src", name);
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "Dockerfile"),
            "FROM paas/busybox\nCOPY index.html /www/index.html\nCMD [\"sh\", \"-c\", \"echo serving on $PORT; exec httpd -f -p $PORT -h /www\"]\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "index.html"), text + "\n");
        (await Git(dir, "init", "-q", "-b", "main")).ShouldSucceed("git init");
        await CommitAsync(dir, "first version");
        return dir;
    }

    public async Task CommitAsync(string dir, string message)
    {
        (await Git(dir, "add", "-A")).ShouldSucceed("git add");
        (await Git(dir, "commit", "-q", "-m", message)).ShouldSucceed("git commit");
    }
}
