using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>What keeps an app serving when processes die or the controller restarts.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ProcessLifecycleTests(EndToEndPlatform platform)
{
    private Task<CommandResult> Docker(params string[] args) =>
        Processes.RunAsync("docker", args, environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost });

    private async Task<(User User, string App)> DeployedAppAsync(string text)
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("life");
        var repo = await alice.NewAppRepositoryAsync(app, text);
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("push");
        await platform.WaitForBodyAsync(app, text);
        return (alice, app);
    }

    [Fact]
    public async Task A_crashed_web_process_is_restarted_and_serves_again()
    {
        var (_, app) = await DeployedAppAsync("back again");
        var id = (await Docker("ps", "-q", "--filter", $"label=paas.app={app}")).Stdout.Trim();
        Assert.NotEmpty(id);

        (await Docker("exec", id, "sh", "-c", "kill $(pidof httpd)")).ShouldSucceed("kill httpd");

        await platform.WaitForBodyAsync(app, "back again", TimeSpan.FromSeconds(30));
        var restarts = (await Docker("inspect", "-f", "{{.RestartCount}}", id)).Stdout.Trim();
        Assert.NotEqual("0", restarts);
    }

    [Fact]
    public async Task On_start_the_controller_puts_back_processes_that_were_removed()
    {
        var (_, app) = await DeployedAppAsync("reconciled");
        var id = (await Docker("ps", "-q", "--filter", $"label=paas.app={app}")).Stdout.Trim();
        (await Docker("rm", "-f", id)).ShouldSucceed("docker rm");

        await platform.RestartControllerAsync();

        await platform.WaitForBodyAsync(app, "reconciled", TimeSpan.FromSeconds(30));
        var now = (await Docker("ps", "-q", "--filter", $"label=paas.app={app}")).Stdout.Trim();
        Assert.NotEmpty(now);
        Assert.NotEqual(id, now);
    }
}
