using System.Diagnostics;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>What `paas builds` keeps of each push, and the limits a push must stay within.</summary>
[Collection(PlatformCollection.Name)]
public sealed class BuildRecordTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Builds_record_the_sha_pusher_kind_image_status_phases_and_the_whole_log()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("recorded");
        var repo = await alice.NewAppRepositoryAsync(app, "recorded v2");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("push");
        var sha = (await alice.Git(repo, "rev-parse", "HEAD")).Stdout.Trim();
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM paas/busybox\nRUN echo this step fails && false\n");
        await alice.CommitAllAsync(repo, "broken");
        Assert.NotEqual(0, (await alice.Git(repo, "push", "paas", "main")).ExitCode);

        var builds = await alice.BuildsAsync(app);
        Assert.Equal(2, builds.Count);
        var failed = builds[0];
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Contains("returned a non-zero code", failed.GetProperty("failure").GetString());
        var good = builds[1];
        Assert.Equal(sha, good.GetProperty("sha").GetString());
        Assert.Equal(alice.Username, good.GetProperty("owner").GetString());
        Assert.Equal("dockerfile", good.GetProperty("kind").GetString());
        Assert.Equal($"{platform.Registry}/{app}:git-{sha[..7]}", good.GetProperty("image").GetString());
        Assert.Equal("succeeded", good.GetProperty("status").GetString());
        Assert.Equal(2, good.GetProperty("release").GetInt32());
        foreach (var phase in new[] { "receive", "build", "push", "release", "ready" })
            Assert.True(good.GetProperty("phases").TryGetProperty(phase, out _), $"no {phase} phase in {good}");

        var info = await alice.Paas("builds:info", good.GetProperty("uuid").GetString()!, "-a", app);
        info.ShouldSucceed("builds:info");
        Assert.Matches(@"status:\s+succeeded", info.Stdout);
        Assert.Matches(@"phases:\s+receive \d+\.\ds, build \d+\.\ds, push \d+\.\ds, release \d+\.\ds, ready \d+\.\ds", info.Stdout);
        Assert.Contains("--- Build log", info.Stdout);
        Assert.Contains($"-----> Building {app} from {sha[..7]} (pushed by {alice.Username})", info.Stdout);
        Assert.Contains("Step 1/3 : FROM paas/busybox", info.Stdout);
        var failedInfo = await alice.Paas("builds:info", failed.GetProperty("uuid").GetString()!, "-a", app);
        Assert.Contains("this step fails", failedInfo.Stdout);
    }

    [Fact]
    public async Task A_second_push_to_an_app_while_one_builds_is_refused_and_other_apps_build_meanwhile()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var busy = PlatformFixture.NewAppName("busy");
        var other = PlatformFixture.NewAppName("other");
        var busyRepo = await alice.NewAppRepositoryAsync(busy, "slow one");
        await File.WriteAllTextAsync(Path.Combine(busyRepo, "Dockerfile"),
            "FROM paas/busybox\nRUN sleep 8\nCOPY index.html /www/index.html\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /www\"]\n");
        await alice.CommitAllAsync(busyRepo, "slow build");
        var otherRepo = await alice.NewAppRepositoryAsync(other, "meanwhile");
        (await alice.PaasIn(busyRepo, "apps:create", busy)).ShouldSucceed("apps:create");
        (await alice.PaasIn(otherRepo, "apps:create", other)).ShouldSucceed("apps:create");

        var building = new TaskCompletionSource();
        var first = RunUntilAsync(alice, busyRepo, "Building image from the Dockerfile", building);
        await building.Task.WaitAsync(TimeSpan.FromMinutes(2));
        var clone = Path.Combine(alice.Home, "src", busy + "-clone");
        (await alice.Git(alice.Home, "clone", "-q", busyRepo, clone)).ShouldSucceed("clone");
        (await alice.PaasIn(clone, "git:remote", "-a", busy)).ShouldSucceed("git:remote");
        await File.WriteAllTextAsync(Path.Combine(clone, "index.html"), "from the clone\n");
        await alice.CommitAllAsync(clone, "concurrent change");

        var second = alice.Git(clone, "push", "paas", "main");
        var parallel = alice.Git(otherRepo, "push", "paas", "main");

        var refused = await second;
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"Another git push is ongoing for {busy}", refused.Stderr);
        (await parallel).ShouldSucceed("push to another app meanwhile");
        (await first).ShouldSucceed("the first push");
        await platform.WaitForBodyAsync(busy, "slow one");
        await platform.WaitForBodyAsync(other, "meanwhile");
    }

    /// <summary>Runs `git push paas main` and signals <paramref name="seen"/> once its output contains <paramref name="text"/>.</summary>
    private static async Task<CommandResult> RunUntilAsync(User user, string repo, string text, TaskCompletionSource seen)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "push", "paas", "main" }) start.ArgumentList.Add(a);
        start.Environment["HOME"] = user.Home;
        start.Environment["PAAS_CLI_PATH"] = user.CliPath;
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start)!;
        var stderr = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr) stderr.AppendLine(e.Data);
            if (e.Data.Contains(text, StringComparison.Ordinal)) seen.TrySetResult();
        };
        process.BeginErrorReadLine();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        seen.TrySetResult();
        lock (stderr) return new CommandResult(process.ExitCode, stdout, stderr.ToString());
    }

    [Fact]
    public async Task A_repository_with_a_symlink_out_of_the_tree_is_refused()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("sneaky");
        var repo = await alice.NewAppRepositoryAsync(app, "sneaky");
        File.CreateSymbolicLink(Path.Combine(repo, "secrets"), "../../../../etc/shadow");
        await alice.CommitAllAsync(repo, "a symlink out");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");

        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("The symlink secrets points outside the repository (../../../../etc/shadow)", push.Stderr);
        Assert.Equal(1, await alice.LatestVersionAsync(app));
    }

    [Fact]
    public async Task A_push_over_the_size_limit_is_refused_before_anything_is_stored()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("huge");
        var repo = await alice.NewAppRepositoryAsync(app, "huge");
        // Random bytes do not compress: the pack is over the test platform's 5 MiB limit.
        await File.WriteAllBytesAsync(Path.Combine(repo, "blob.bin"), System.Security.Cryptography.RandomNumberGenerator.GetBytes(7 * 1024 * 1024));
        await alice.CommitAllAsync(repo, "a large file");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");

        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("pack exceeds maximum allowed size", push.Stderr);
        Assert.Equal(1, await alice.LatestVersionAsync(app));
    }

    [Fact]
    public async Task A_build_over_the_time_limit_is_stopped_with_a_clear_message()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("slow");
        var repo = await alice.NewAppRepositoryAsync(app, "never");
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM paas/busybox\nRUN echo sleeping && sleep 600\n");
        await alice.CommitAllAsync(repo, "a build that never ends");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        // The platform's limit (PAAS_BUILD_TIMEOUT, 15 minutes) is what an app may shorten for itself.
        (await alice.PaasIn(repo, "config:set", "BUILD_TIMEOUT=8")).ShouldSucceed("config:set");

        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("The build took longer than 8 s (the build time limit) and was stopped.", push.Stderr);
        Assert.Equal(2, await alice.LatestVersionAsync(app)); // v2 is the config change
        Assert.Equal("failed", (await alice.BuildsAsync(app))[0].GetProperty("status").GetString());
    }
}
