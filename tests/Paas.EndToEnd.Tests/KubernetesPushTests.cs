using System.Text.Json;
using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>The platform with PAAS_SCHEDULER=kubernetes on the machine's shared local cluster.</summary>
[CollectionDefinition(Name)]
public sealed class KubernetesPlatformCollection : ICollectionFixture<KubernetesPlatformFixture>
{
    public const string Name = "platform on kubernetes";
}

/// <summary>
/// The walking skeleton with apps on Kubernetes: git push builds on the host, the kubelet pulls the image from the
/// platform's registry, pods run in the app's namespace, and the router serves the app through its Service.
/// </summary>
[Collection(KubernetesPlatformCollection.Name)]
public sealed class KubernetesPushTests(KubernetesPlatformFixture platform)
{
    /// <summary>httpd that says when it starts and logs each request (-v), so `paas logs` has lines from the pods.</summary>
    private const string LoggingDockerfile =
        "FROM paas/busybox\nCOPY index.html /www/index.html\nCMD [\"sh\", \"-c\", \"echo web listening on $PORT; exec httpd -f -v -p $PORT -h /www\"]\n";

    [SkippableFact]
    public async Task A_pushed_app_runs_as_pods_is_served_through_the_router_and_scales_runs_and_logs()
    {
        Skip.If(platform.SkipReason is not null, platform.SkipReason);
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("onk8s");
        var repo = await alice.NewAppRepositoryAsync(app, "hello from a pod");
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), LoggingDockerfile);
        await alice.CommitAllAsync(repo, "log requests");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("paas apps:create");

        var push = await alice.Git(repo, "push", "paas", "main");

        push.ShouldSucceed("git push");
        Assert.Contains($"remote: -----> {app} v2 deployed", push.Stderr, StringComparison.Ordinal);
        var pods = await PodsAsync(app);
        var pod = Assert.Single(pods.EnumerateArray());
        Assert.Equal("Running", pod.GetProperty("status").GetProperty("phase").GetString());
        Assert.StartsWith($"{platform.Registry}/{app}:git-", pod.GetProperty("spec").GetProperty("containers")[0].GetProperty("image").GetString(),
            StringComparison.Ordinal);
        Assert.Contains("hello from a pod", await platform.WaitForBodyAsync(app, "hello from a pod", TimeSpan.FromSeconds(30)), StringComparison.Ordinal);

        // ps:scale web=2: two pods, both up, the router keeps serving through the Service.
        (await alice.PaasIn(repo, "ps:scale", "web=2")).ShouldSucceed("paas ps:scale");
        var ps = await alice.PaasIn(repo, "ps", "--json");
        ps.ShouldSucceed("paas ps");
        using (var listed = JsonDocument.Parse(ps.Stdout))
        {
            var up = listed.RootElement.EnumerateArray().Where(p => p.GetProperty("state").GetString() == "up").ToList();
            Assert.Equal(2, up.Count);
            Assert.All(up, p => Assert.StartsWith($"{app}-web-", p.GetProperty("name").GetString(), StringComparison.Ordinal));
        }
        Assert.Equal(2, (await PodsAsync(app)).GetArrayLength());
        Assert.Contains("hello from a pod", await platform.BodyThroughRouterAsync(app), StringComparison.Ordinal);

        // A config change is a release: every pod rolls over to it, and a one-off sees it.
        (await alice.PaasIn(repo, "config:set", "GREETING=hi from config")).ShouldSucceed("paas config:set");
        var run = await alice.PaasIn(repo, "run", "echo \"$GREETING\"; exit 4");
        Assert.Equal(4, run.ExitCode);
        Assert.Contains("hi from config", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await PodsAsync(app)).EnumerateArray().Count(p => p.GetProperty("metadata").GetProperty("labels").GetProperty("version").GetString() == "v3"));

        var logs = await alice.PaasIn(repo, "logs");
        logs.ShouldSucceed("paas logs");
        Assert.Matches($@"{app}\[{app}-web-[a-z0-9]+-[a-z0-9]+\]: web listening on 5000", logs.Stdout);

        // Autoscaling is a HorizontalPodAutoscaler while it is set.
        (await alice.PaasIn(repo, "autoscale:set", "web", "--min", "2", "--max", "3", "--cpu-percent", "50")).ShouldSucceed("paas autoscale:set");
        var hpa = await platform.Kubectl("get", "hpa", $"{app}-web", "-n", app, "-o", "jsonpath={.spec.minReplicas}-{.spec.maxReplicas}");
        Assert.Equal("2-3", hpa.ShouldSucceed("kubectl get hpa").Stdout.Trim());
        (await alice.PaasIn(repo, "autoscale:unset", "web")).ShouldSucceed("paas autoscale:unset");
        Assert.Empty((await platform.Kubectl("get", "hpa", "-n", app, "-o", "name")).Stdout.Trim());

        (await alice.PaasIn(repo, "apps:destroy", "--confirm", app)).ShouldSucceed("paas apps:destroy");
        var phase = await platform.Kubectl("get", "namespace", app, "-o", "jsonpath={.status.phase}", "--ignore-not-found");
        Assert.True(phase.Stdout.Trim() is "" or "Terminating", phase.ToString());
    }

    [SkippableFact]
    public async Task A_release_that_never_gets_ready_fails_the_push_and_the_previous_one_keeps_serving()
    {
        Skip.If(platform.SkipReason is not null, platform.SkipReason);
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("fails");
        var repo = await alice.NewAppRepositoryAsync(app, "v2 serves");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("paas apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("first push");
        await platform.WaitForBodyAsync(app, "v2 serves", TimeSpan.FromSeconds(30));

        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"), "FROM paas/busybox\nCMD [\"sh\", \"-c\", \"echo cannot start; exit 3\"]\n");
        await alice.CommitAllAsync(repo, "a process that exits");
        var push = await alice.Git(repo, "push", "paas", "main");

        Assert.NotEqual(0, push.ExitCode);
        Assert.Contains("Release v3 failed", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("exited with code 3", push.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot start", push.Stderr, StringComparison.Ordinal);
        Assert.Equal("v2 serves", (await platform.BodyThroughRouterAsync(app)).Trim());
        // The Deployment was put back to v2, and what v3 made is gone.
        var template = await platform.Kubectl("get", "deployment", $"{app}-web", "-n", app, "-o", "jsonpath={.spec.template.metadata.labels.version}");
        Assert.Equal("v2", template.ShouldSucceed("kubectl get deployment").Stdout.Trim());
        await RetryAsync(async () =>
        {
            var secrets = await platform.Kubectl("get", "secrets", "-n", app, "-l", "heritage=paas", "-o", "name");
            Assert.Equal($"secret/{app}-v2-env", secrets.ShouldSucceed("kubectl get secrets").Stdout.Trim());
        });
        (await alice.PaasIn(repo, "apps:destroy", "--confirm", app)).ShouldSucceed("paas apps:destroy");
    }

    [SkippableFact]
    public async Task On_start_the_controller_puts_back_a_Deployment_deleted_by_hand()
    {
        Skip.If(platform.SkipReason is not null, platform.SkipReason);
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("drift");
        var repo = await alice.NewAppRepositoryAsync(app, "put back");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("paas apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("push");
        await platform.WaitForBodyAsync(app, "put back", TimeSpan.FromSeconds(30));

        (await platform.Kubectl("delete", "deployment", $"{app}-web", "-n", app)).ShouldSucceed("kubectl delete deployment");
        await platform.RestartControllerAsync();

        // The old pods may still answer while they terminate: wait for the Deployment itself and the controller's word.
        await RetryAsync(async () =>
            Assert.Equal(0, (await platform.Kubectl("get", "deployment", $"{app}-web", "-n", app)).ExitCode), attempts: 120);
        await RetryAsync(async () =>
        {
            var log = await File.ReadAllTextAsync(Path.Combine(platform.StateDirectory, "logs", "controller.log"));
            Assert.Contains($"Deployment {app}/{app}-web of {app} v2 was missing (deleted by hand?); created it again", log, StringComparison.Ordinal);
        }, attempts: 120);
        await platform.WaitForBodyAsync(app, "put back", TimeSpan.FromSeconds(60));
        (await alice.PaasIn(repo, "apps:destroy", "--confirm", app)).ShouldSucceed("paas apps:destroy");
    }

    [SkippableFact]
    public async Task A_service_gets_a_Kubernetes_Service_of_its_own_and_the_router_sends_its_paths_there()
    {
        Skip.If(platform.SkipReason is not null, platform.SkipReason);
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("svc");
        var repo = await alice.NewAppRepositoryAsync(app, "from web");
        await File.WriteAllTextAsync(Path.Combine(repo, "Dockerfile"),
            "FROM paas/busybox\nCOPY index.html /www/index.html\nRUN mkdir -p /hooks/webhooks && echo from the webhooks process > /hooks/webhooks/index.html\n");
        await File.WriteAllTextAsync(Path.Combine(repo, "Procfile"), "web: exec httpd -f -p $PORT -h /www\nwebhooks: exec httpd -f -p $PORT -h /hooks\n");
        await alice.CommitAllAsync(repo, "web and webhooks");
        (await alice.PaasIn(repo, "apps:create", app)).ShouldSucceed("paas apps:create");
        (await alice.Git(repo, "push", "paas", "main")).ShouldSucceed("git push");
        (await alice.PaasIn(repo, "ps:scale", "webhooks=1")).ShouldSucceed("paas ps:scale webhooks=1");
        await platform.WaitForBodyAsync(app, "from web", TimeSpan.FromSeconds(30));

        (await alice.PaasIn(repo, "services:add", "--type", "webhooks", "--route", "/webhooks")).ShouldSucceed("paas services:add");

        await RetryAsync(async () => Assert.Equal("from the webhooks process", (await platform.GetAsync(platform.Host(app), "/webhooks/")).Body.Trim()));
        Assert.Equal("from web", (await platform.BodyThroughRouterAsync(app)).Trim());
        var services = await platform.Kubectl("get", "services", "-n", app, "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal([app, $"{app}-webhooks"], services.ShouldSucceed("kubectl get services").Stdout.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Order());

        var removed = await alice.PaasIn(repo, "services:remove", "webhooks");
        Assert.True(removed.ExitCode == 0, $"paas services:remove failed:\n{removed}\ncontroller log:\n{await ControllerLogTailAsync()}");
        await RetryAsync(async () => Assert.Equal(System.Net.HttpStatusCode.NotFound, (await platform.GetAsync(platform.Host(app), "/webhooks/")).Status));
        var left = await platform.Kubectl("get", "services", "-n", app, "-o", "jsonpath={.items[*].metadata.name}");
        Assert.Equal(app, left.ShouldSucceed("kubectl get services").Stdout.Trim());
        (await alice.PaasIn(repo, "apps:destroy", "--confirm", app)).ShouldSucceed("paas apps:destroy");
    }

    private async Task<string> ControllerLogTailAsync() =>
        string.Join('\n', (await File.ReadAllLinesAsync(Path.Combine(platform.StateDirectory, "logs", "controller.log"))).TakeLast(60));

    private static async Task RetryAsync(Func<Task> assertion, int attempts = 30)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await assertion();
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < attempts)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The app's running pods (one-offs and terminating ones aside), as kubectl sees them.</summary>
    private async Task<JsonElement> PodsAsync(string app)
    {
        var listed = await platform.Kubectl("get", "pods", "-n", app, "-l", "heritage=paas,!paas/one-off", "-o", "json");
        using var json = JsonDocument.Parse(listed.ShouldSucceed("kubectl get pods").Stdout);
        var live = json.RootElement.GetProperty("items").EnumerateArray()
            .Where(p => !p.GetProperty("metadata").TryGetProperty("deletionTimestamp", out _)).ToList();
        return JsonDocument.Parse(JsonSerializer.Serialize(live)).RootElement.Clone();
    }
}
