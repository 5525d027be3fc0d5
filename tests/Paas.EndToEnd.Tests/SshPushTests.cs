using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>`git push ssh://git@HOST:PORT/APP.git` through OpenSSH's sshd, with a key added by `paas keys:add`.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SshPushTests(EndToEndPlatform platform)
{
    private static async Task<(string Key, Dictionary<string, string> Ssh)> KeyAsync(User user)
    {
        var key = Path.Combine(user.Home, "id_ed25519");
        if (!File.Exists(key))
            (await Processes.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", $"{user.Username}@laptop", "-f", key])).ShouldSucceed("ssh-keygen");
        return (key, new Dictionary<string, string>
        {
            ["GIT_SSH_COMMAND"] = $"ssh -i {key} -o IdentitiesOnly=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR",
        });
    }

    private string SshUrl(string app) => $"ssh://git@127.0.0.1:{platform.SshPort}/{app}.git";

    [Fact]
    public async Task A_push_over_ssh_with_a_key_added_by_keys_add_builds_and_serves_the_app()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var (key, ssh) = await KeyAsync(alice);
        var added = await alice.Paas("keys:add", key + ".pub");
        added.ShouldSucceed("keys:add");
        var app = PlatformFixture.NewAppName("sshapp");
        var repo = await alice.NewAppRepositoryAsync(app, "pushed over ssh");
        (await alice.PaasIn(repo, "apps:create", app, "--no-remote")).ShouldSucceed("apps:create");

        var push = await alice.GitWith(ssh, repo, "push", SshUrl(app), "main");

        push.ShouldSucceed("git push over ssh");
        Assert.Contains($"remote: -----> Building {app} from", push.Stderr);
        Assert.Contains($"(pushed by {alice.Username})", push.Stderr);
        Assert.Contains($"remote: -----> {app} v2 deployed: http://{app}.", push.Stderr);
        Assert.DoesNotContain("Could not chdir", push.Stderr);
        await platform.WaitForBodyAsync(app, "pushed over ssh");
        // The same repository serves fetches over SSH too.
        var clone = Path.Combine(alice.Home, "clone-" + app);
        (await alice.GitWith(ssh, alice.Home, "clone", "-q", SshUrl(app), clone)).ShouldSucceed("git clone over ssh");
        Assert.Equal("pushed over ssh\n", await File.ReadAllTextAsync(Path.Combine(clone, "index.html")));
    }

    [Fact]
    public async Task Unknown_keys_strangers_and_a_concurrent_push_are_refused_with_clear_messages()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var mallory = await platform.RegisterAsync(PlatformFixture.NewAppName("mallory"));
        var (aliceKey, aliceSsh) = await KeyAsync(alice);
        (await alice.Paas("keys:add", aliceKey + ".pub")).ShouldSucceed("keys:add");
        var (malloryKey, mallorySsh) = await KeyAsync(mallory);
        var app = PlatformFixture.NewAppName("guarded");
        var repo = await alice.NewAppRepositoryAsync(app, "alice's");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");

        // A key nobody added.
        var unknown = await mallory.GitWith(mallorySsh, repo, "push", SshUrl(app), "main");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("Permission denied (publickey)", unknown.Stderr);

        // A known key, but not a collaborator.
        (await mallory.Paas("keys:add", malloryKey + ".pub")).ShouldSucceed("keys:add");
        var stranger = await mallory.GitWith(mallorySsh, repo, "push", SshUrl(app), "main");
        Assert.NotEqual(0, stranger.ExitCode);
        Assert.Contains($"App {app} does not exist, or {mallory.Username} may not push to it", stranger.Stderr);

        // An HTTP push and an SSH push to the same app at once: whichever reaches the builder second is refused.
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"),
            "FROM paas/busybox\nRUN sleep 6\nCOPY index.html /www/index.html\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /www\"]\n");
        await alice.CommitAllAsync(repo, "slow build");
        var http = alice.Git(repo, "push", "paas", "main");
        await Task.Delay(1000);
        var ssh = await alice.GitWith(aliceSsh, repo, "push", SshUrl(app), "main");
        CommandResult[] both = [await http, ssh];
        var refused = Assert.Single(both, r => r.Stderr.Contains($"Another git push is ongoing for {app}; wait for it to finish, then push again.", StringComparison.Ordinal));
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Single(both, r => r.ExitCode == 0).ShouldSucceed("the push that came first");
        Assert.Equal(2, await alice.LatestVersionAsync(app));
    }
}
