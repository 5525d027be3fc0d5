using System.Net;
using System.Text.Json;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>The walking skeleton as a user lives it: register, create an app, git push, curl it.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GitPushTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task Push_builds_releases_and_serves_the_app_through_the_router_and_a_second_push_replaces_it()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("demo");
        var repo = await alice.NewAppRepositoryAsync(app, "hello from v2");

        var created = await alice.PaasIn(repo, "apps:create", app);
        created.ShouldSucceed("paas apps:create");
        Assert.Contains($"created {app}", created.Stdout);
        var remote = await alice.Git(repo, "remote", "get-url", "paas");
        Assert.Equal($"{platform.BuilderUrl}/{app}.git", remote.Stdout.Trim());

        // No password typed: the CLI is git's credential helper for the builder.
        var push = await alice.Git(repo, "push", "paas", "main");
        push.ShouldSucceed("git push");
        Assert.Contains("remote: -----> Building", push.Stderr);
        Assert.Contains("remote:        Step 1/3 : FROM paas/busybox", push.Stderr);
        Assert.Contains($"remote: -----> {app} v2 deployed", push.Stderr);
        Assert.Matches(@"Timings: receive \d+\.\ds, build \d+\.\ds, push \d+\.\ds, release \d+\.\ds, ready \d+\.\ds", push.Stderr);

        Assert.Contains("hello from v2", await platform.WaitForBodyAsync(app, "hello from v2"));
        // The way a user checks it: curl resolves *.localhost to loopback itself.
        var curl = await Processes.RunAsync("curl", ["-sS", $"http://{app}.localhost:{platform.RouterPort}/"]);
        Assert.Equal("hello from v2", curl.Stdout.Trim());

        await File.WriteAllTextAsync(Path.Combine(repo, "index.html"), "hello from v3\n");
        await alice.CommitAllAsync(repo, "second version");
        var sha = (await alice.Git(repo, "rev-parse", "--short=7", "HEAD")).Stdout.Trim();
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("second git push");
        Assert.Contains("hello from v3", await platform.WaitForBodyAsync(app, "hello from v3"));

        var releases = await alice.PaasIn(repo, "releases");
        releases.ShouldSucceed("paas releases");
        Assert.Matches($@"v3\s+\S+\s+{alice.Username} deployed {sha}", releases.Stdout);
        Assert.Matches($@"v1\s+\S+\s+{alice.Username} created initial release", releases.Stdout);
    }

    [Fact]
    public async Task A_broken_Dockerfile_fails_the_push_and_the_running_release_keeps_serving()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("broken");
        var repo = await alice.NewAppRepositoryAsync(app, "still good");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("first push");
        await platform.WaitForBodyAsync(app, "still good");

        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM paas/busybox\nRUN echo about to fail && exit 7\n");
        await alice.CommitAllAsync(repo, "break the build");
        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("about to fail", push.Stderr);
        Assert.Contains("returned a non-zero code: 7", push.Stderr);
        Assert.Contains("pre-receive hook declined", push.Stderr);
        Assert.Equal(2, await LatestVersionAsync(alice, app));
        Assert.Equal("still good", (await platform.BodyThroughRouterAsync(app)).Trim());
    }

    [Fact]
    public async Task A_release_whose_process_never_becomes_ready_is_marked_failed_and_the_previous_one_keeps_serving()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("crashy");
        var repo = await alice.NewAppRepositoryAsync(app, "v2 is fine");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("first push");
        await platform.WaitForBodyAsync(app, "v2 is fine");

        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM paas/busybox\nCMD [\"sh\", \"-c\", \"echo cannot start; exit 3\"]\n");
        await alice.CommitAllAsync(repo, "a process that exits");
        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("Release v3 failed", push.Stderr);
        Assert.Contains("cannot start", push.Stderr);
        var releases = await ReleasesAsync(alice, app);
        Assert.True(releases[0].GetProperty("failed").GetBoolean(), releases[0].ToString());
        Assert.Equal(3, releases[0].GetProperty("version").GetInt32());
        Assert.Equal("v2 is fine", (await platform.BodyThroughRouterAsync(app)).Trim());
    }

    [Fact]
    public async Task A_user_who_is_not_a_collaborator_cannot_push()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var mallory = await platform.RegisterAsync(PlatformFixture.NewAppName("mallory"));
        var app = PlatformFixture.NewAppName("private");
        (await alice.Paas("apps:create", app, "--no-remote")).ShouldSucceed("apps:create");

        var repo = await mallory.NewAppRepositoryAsync(app, "not yours");
        // Her own app gives her a git remote and the credential helper for the builder.
        (await mallory.PaasIn(repo, "apps:create", PlatformFixture.NewAppName("mine"))).ShouldSucceed("apps:create");
        var denied = await mallory.PaasIn(repo, "git:remote", "-a", app, "--remote", "target");
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("does not exist", denied.Stderr);

        (await mallory.Git(repo, "remote", "add", "target", $"{platform.BuilderUrl}/{app}.git")).ShouldSucceed("remote add");
        var push = await mallory.Git(repo, "push", "target", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains($"remote error: App {app} does not exist, or {mallory.Username} may not push to it", push.Stderr);
        Assert.Equal(1, await LatestVersionAsync(alice, app));
    }

    [Fact]
    public async Task A_push_to_another_branch_is_refused_with_the_command_that_deploys_it()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("branchy");
        var repo = await alice.NewAppRepositoryAsync(app, "feature work");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await alice.Git(repo, "checkout", "-q", "-b", "feature")).ShouldSucceed("checkout");

        var push = await alice.Git(repo, "push", "paas", "feature");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("deploys the main (or master) branch only", push.Stderr);
        Assert.Contains("git push paas feature:main", push.Stderr);
        Assert.Equal(1, await LatestVersionAsync(alice, app));

        // ... and the suggested command works.
        (await alice.Git(repo, "push", "paas", "feature:main")).ShouldSucceed("push feature:main");
        await platform.WaitForBodyAsync(app, "feature work");
    }

    [Fact]
    public async Task The_router_answers_404_for_unknown_hosts_503_for_apps_with_nothing_running_and_forgets_destroyed_apps()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        using (var unknown = await platform.GetThroughRouterAsync("no-such-app-here"))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Contains("No app is routed at no-such-app-here", await unknown.Content.ReadAsStringAsync());
        }

        var app = PlatformFixture.NewAppName("idle");
        (await alice.Paas("apps:create", app, "--no-remote")).ShouldSucceed("apps:create");
        await WaitForStatusAsync(app, HttpStatusCode.ServiceUnavailable);

        var repo = await alice.NewAppRepositoryAsync(app, "soon gone");
        (await alice.PaasIn(repo, "git:remote", "-a", app)).ShouldSucceed("git:remote");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("push");
        await platform.WaitForBodyAsync(app, "soon gone");

        (await alice.PaasIn(repo, "apps:destroy", "--confirm", app)).ShouldSucceed("apps:destroy");
        await WaitForStatusAsync(app, HttpStatusCode.NotFound);
        var containers = await Processes.RunAsync("docker", ["ps", "-a", "--filter", $"label=paas.app={app}", "-q"],
            environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost });
        Assert.Equal("", containers.Stdout.Trim());
    }

    private async Task WaitForStatusAsync(string app, HttpStatusCode status)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode last;
        do
        {
            using var response = await platform.GetThroughRouterAsync(app);
            last = response.StatusCode;
            if (last == status) return;
            await Task.Delay(200);
        } while (DateTimeOffset.UtcNow < deadline);
        Assert.Equal(status, last);
    }

    private static async Task<List<JsonElement>> ReleasesAsync(User user, string app)
    {
        using var api = user.Api();
        var page = JsonDocument.Parse(await api.GetStringAsync($"/v2/apps/{app}/releases/")).RootElement;
        return [.. page.GetProperty("results").EnumerateArray()];
    }

    private static async Task<int> LatestVersionAsync(User user, string app) =>
        (await ReleasesAsync(user, app))[0].GetProperty("version").GetInt32();
}
