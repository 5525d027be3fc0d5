using System.Diagnostics;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Kubernetes.Tests.Support;
using static Paas.Scheduler.Kubernetes.Tests.Support.ClusterFixture;

namespace Paas.Scheduler.Kubernetes.Tests;

/// <summary>Deploys, scales, rollouts, failures and destroy on the real local cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterDeployTests(ClusterFixture cluster)
{
    private static async Task<string> GetAsync(string endpoint)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        return await http.GetStringAsync($"http://{endpoint}/");
    }

    [SkippableFact]
    public async Task A_release_runs_as_pods_pulled_from_our_registry_and_answers_on_its_Service()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("deploy");

        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(replicas: 2)), default);

        var processes = await scheduler.ListAsync(app, default);
        Assert.Equal(2, processes.Count);
        Assert.All(processes, p =>
        {
            Assert.Equal(ProcessState.Up, p.State);
            Assert.Equal(2, p.Version);
            Assert.Equal("web", p.Type);
            Assert.StartsWith($"{app}-web-", p.Name, StringComparison.Ordinal);
        });
        var endpoint = Assert.Single(processes.Select(p => p.Endpoint).Distinct());
        Assert.EndsWith(":80", endpoint, StringComparison.Ordinal);
        // The ClusterIP answers from the host (kube-proxy); its rules follow the endpoints within a second or two.
        var body = await Eventually.Returns(async () =>
        {
            try
            {
                return await GetAsync(endpoint!);
            }
            catch (HttpRequestException e)
            {
                return e.Message;
            }
            catch (TaskCanceledException)
            {
                return "timed out";
            }
        }, b => b.Contains("hello from kubernetes", StringComparison.Ordinal), "the Service answers", TimeSpan.FromSeconds(20));
        Assert.Contains("hello from kubernetes", body, StringComparison.Ordinal);
        var pulled = await cluster.Kubectl("get", "events", "-n", app, "--field-selector", "reason=Pulled", "-o", "name");
        Assert.NotEmpty(pulled.ShouldSucceed("kubectl get events").Stdout.Trim());

        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Applying_the_same_release_twice_changes_nothing()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("twice");
        var spec = cluster.Spec(app, 3, Web(), Worker("sleep 100000"));
        await scheduler.DeployAsync(spec, default);
        async Task<string> VersionsAsync() =>
            (await cluster.Kubectl("get", "deployments,services,secrets,hpa", "-n", app, "-l", "heritage=paas",
                "-o", "jsonpath={range .items[*]}{.kind}/{.metadata.name}={.metadata.resourceVersion}/{.metadata.generation} {end}"))
            .ShouldSucceed("kubectl get").Stdout;
        var before = await VersionsAsync();

        await scheduler.DeployAsync(spec, default);

        Assert.Equal(before, await VersionsAsync());
        Assert.DoesNotContain(cluster.Logs.Entries, e => e.Message.Contains(app, StringComparison.Ordinal) && e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
        await scheduler.DestroyAsync(app, default);
    }
}
