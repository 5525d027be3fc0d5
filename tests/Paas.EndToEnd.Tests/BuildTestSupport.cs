using System.Text.Json;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>Helpers shared by the build tests: an app's repository from a set of files, its builds and releases.</summary>
internal static class BuildTestSupport
{
    /// <summary>A git repository holding <paramref name="files"/> (path, content; paths ending in .sh and bin/* are executable), committed.</summary>
    public static async Task<string> RepositoryAsync(this User user, string name, params (string Path, string Content)[] files)
    {
        var dir = Path.Combine(user.Home, "src", name);
        Directory.CreateDirectory(dir);
        await WriteAsync(dir, files);
        (await user.Git(dir, "init", "-q", "-b", "main")).ShouldSucceed("git init");
        await user.CommitAllAsync(dir, "first version");
        return dir;
    }

    public static async Task WriteAsync(string dir, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(dir, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllTextAsync(full, content);
            if (path.EndsWith(".sh", StringComparison.Ordinal) || path.Contains("bin/", StringComparison.Ordinal))
                File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
        }
    }

    public static async Task<List<JsonElement>> ReleasesAsync(this User user, string app)
    {
        using var api = user.Api();
        var page = JsonDocument.Parse(await api.GetStringAsync($"/v2/apps/{app}/releases/")).RootElement;
        return [.. page.GetProperty("results").EnumerateArray()];
    }

    public static async Task<int> LatestVersionAsync(this User user, string app) =>
        (await user.ReleasesAsync(app))[0].GetProperty("version").GetInt32();

    public static async Task<List<JsonElement>> BuildsAsync(this User user, string app)
    {
        var listed = await user.Paas("builds", "-a", app, "--json");
        listed.ShouldSucceed("paas builds --json");
        return [.. JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray()];
    }

    /// <summary>The containers on the platform's engine that match a docker ps filter.</summary>
    public static async Task<string> ContainersAsync(PlatformFixture platform, string filter)
    {
        var result = await Processes.RunAsync("docker", ["ps", "-aq", "--filter", filter],
            environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost });
        return result.ShouldSucceed("docker ps").Stdout.Trim();
    }
}
