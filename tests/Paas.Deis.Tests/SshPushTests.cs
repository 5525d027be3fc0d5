using System.Net;
using Paas.Deis.Tests.Support;
using Paas.Testing;

namespace Paas.Deis.Tests;

/// <summary>`git push deis master` over SSH, to the builder host and port the deis CLI derives.</summary>
[Collection(DeisCollection.Name)]
public sealed class SshPushTests(DeisPlatform platform)
{
    [SkippableFact]
    public async Task Git_push_deis_master_over_ssh_with_a_key_from_deis_keys_add_deploys_the_app()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var ivan = await platform.RegisteredByAdminAsync("ivan");
        (await ivan.Deis("keys:add", await ivan.MakeSshKeyAsync())).ShouldSucceed("deis keys:add");

        var app = PlatformFixture.NewAppName("sshpush");
        var repo = Directory.CreateDirectory(Path.Combine(ivan.Home, app)).FullName;
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), """
            FROM paas/busybox:latest
            RUN mkdir -p /www && echo 'pushed over ssh' > /www/index.html
            CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
            """);
        (await ivan.Git(repo, "init", "-q", "-b", "master")).ShouldSucceed("git init");
        (await ivan.Git(repo, "add", ".")).ShouldSucceed("git add");
        (await ivan.Git(repo, "commit", "-q", "-m", "first")).ShouldSucceed("git commit");

        (await ivan.DeisIn(repo, "apps:create", app)).ShouldSucceed("deis apps:create (adds the deis remote)");
        var remote = (await ivan.Git(repo, "remote", "get-url", "deis")).ShouldSucceed("git remote get-url").Stdout.Trim();
        Assert.Equal($"ssh://git@deis-builder.{platform.TestDomain}:2222/{app}.git", remote);

        var push = await ivan.Git(repo, "push", "deis", "master");
        push.ShouldSucceed("git push deis master");
        Assert.Contains("remote:", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("deployed", push.Stderr, StringComparison.Ordinal);
        await Web.WaitForAsync(platform, $"{app}.{platform.Domain}", HttpStatusCode.OK, "pushed over ssh");

        // Somebody else's key gets nowhere.
        var judy = await platform.RegisteredByAdminAsync("judy");
        (await judy.Deis("keys:add", await judy.MakeSshKeyAsync())).ShouldSucceed("judy's deis keys:add");
        var judyRepo = Path.Combine(judy.Home, "clone");
        var refused = await judy.Git(judy.Home, "clone", remote, judyRepo);
        Assert.NotEqual(0, refused.ExitCode);
    }
}
