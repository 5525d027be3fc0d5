using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Kubernetes.Tests.Support;
using static Paas.Scheduler.Kubernetes.Tests.Support.ClusterFixture;

namespace Paas.Scheduler.Kubernetes.Tests;

/// <summary>Scale, rollouts, retirement, restarts, failures, drift and destroy on the real local cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterLifecycleTests(ClusterFixture cluster)
{
    [SkippableFact]
    public async Task Scaling_changes_the_number_of_ready_pods_both_ways()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("scale");
        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(replicas: 1)), default);

        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(replicas: 3)), default);
        var up = await scheduler.ListAsync(app, default);
        Assert.Equal(3, up.Count(p => p.State == ProcessState.Up));

        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(replicas: 1)), default);
        Assert.Single(await scheduler.ListAsync(app, default), p => p.State != ProcessState.Down);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task A_new_release_rolls_over_and_retiring_removes_the_old_config_and_the_types_it_no_longer_has()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("rollout");
        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(replicas: 2), Worker("sleep 100000")), default);

        await scheduler.DeployAsync(cluster.Spec(app, 3, Web(replicas: 2)), default);
        var processes = await scheduler.ListAsync(app, default);
        Assert.Equal(2, processes.Count(p => p.Type == "web" && p.Version == 3 && p.State == ProcessState.Up));
        Assert.DoesNotContain(processes, p => p.Type == "web" && p.Version == 2 && p.State == ProcessState.Up);

        await scheduler.RetireAsync(app, 3, default);
        var left = (await cluster.Kubectl("get", "deployments,secrets,services", "-n", app, "-l", "heritage=paas", "-o", "name")).ShouldSucceed("kubectl get").Stdout;
        Assert.Contains($"deployment.apps/{app}-web", left, StringComparison.Ordinal);
        Assert.Contains($"secret/{app}-v3-env", left, StringComparison.Ordinal);
        Assert.Contains($"service/{app}", left, StringComparison.Ordinal);
        Assert.DoesNotContain($"{app}-worker", left, StringComparison.Ordinal);
        Assert.DoesNotContain($"{app}-v2-env", left, StringComparison.Ordinal);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Restarting_a_type_replaces_every_pod_by_rollout_and_a_named_pod_alone()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("restart");
        var spec = cluster.Spec(app, 2, Web(replicas: 2));
        await scheduler.DeployAsync(spec, default);
        var before = (await scheduler.ListAsync(app, default)).Select(p => p.Name).ToList();

        var restarted = await scheduler.RestartAsync(spec, "web", null, default);

        Assert.Equal(2, restarted.Count);
        Assert.All(restarted, p => Assert.Equal(ProcessState.Up, p.State));
        Assert.Empty(restarted.Select(p => p.Name).Intersect(before));
        var annotation = await cluster.Kubectl("get", "deployment", $"{app}-web", "-n", app,
            "-o", "jsonpath={.spec.template.metadata.annotations.kubectl\\.kubernetes\\.io/restartedAt}");
        Assert.NotEmpty(annotation.ShouldSucceed("kubectl get").Stdout.Trim());

        var one = restarted[0].Name;
        var replaced = await scheduler.RestartAsync(spec, null, one, default);
        var fresh = Assert.Single(replaced);
        Assert.NotEqual(one, fresh.Name);
        var now = (await scheduler.ListAsync(app, default)).Where(p => p.State == ProcessState.Up).Select(p => p.Name).ToList();
        Assert.Contains(restarted[1].Name, now);
        Assert.DoesNotContain(one, now);

        Assert.Empty(await scheduler.RestartAsync(spec, null, "no-such-pod", default));
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task A_web_process_that_never_listens_fails_the_deploy_with_what_was_seen()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler(readyTimeout: TimeSpan.FromSeconds(12));
        var app = cluster.NewApp("unready");

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(cluster.Spec(app, 2, Web(command: "echo starting up; sleep 100000")), default));

        Assert.Contains("did not become ready within 12 s", failure.Message, StringComparison.Ordinal);
        Assert.Contains("running but not ready", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Does it listen on $PORT", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Readiness probe failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("starting up", failure.Message, StringComparison.Ordinal);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task A_process_that_keeps_exiting_fails_the_deploy_before_the_timeout()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler(readyTimeout: TimeSpan.FromSeconds(90));
        var app = cluster.NewApp("crash");
        var watch = Stopwatch.StartNew();

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(cluster.Spec(app, 2, Web(command: "echo cannot find the database; exit 3")), default));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.Contains("exited with code 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("cannot find the database", failure.Message, StringComparison.Ordinal);
        Assert.Contains((await scheduler.ListAsync(app, default)).Select(p => p.State), s => s is ProcessState.Crashed or ProcessState.Starting);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Tags_no_node_has_leave_the_pod_unscheduled_and_the_failure_says_so()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler(readyTimeout: TimeSpan.FromSeconds(8));
        var app = cluster.NewApp("tags");

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() =>
            scheduler.DeployAsync(cluster.Spec(app, 2, Web()) with { Tags = new Dictionary<string, string> { ["disk"] = "ssd" } }, default));

        Assert.Contains("not scheduled (Unschedulable: 0/1 nodes are available", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Its tags select nodes labelled disk=ssd", failure.Message, StringComparison.Ordinal);
        Assert.Contains("FailedScheduling", failure.Message, StringComparison.Ordinal);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Drift_made_by_hand_is_put_back_by_applying_the_release_again_and_logged()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("drift");
        var spec = cluster.Spec(app, 2, Web(replicas: 1), Worker("sleep 100000"));
        await scheduler.DeployAsync(spec, default);

        (await cluster.Kubectl("delete", "deployment", $"{app}-worker", "-n", app)).ShouldSucceed("kubectl delete");
        (await cluster.Kubectl("scale", "deployment", $"{app}-web", "-n", app, "--replicas=3")).ShouldSucceed("kubectl scale");
        await scheduler.DeployAsync(spec, default); // what the reconciler does every minute

        var processes = await scheduler.ListAsync(app, default);
        Assert.Single(processes, p => p.Type == "worker" && p.State == ProcessState.Up);
        Assert.Single(processes, p => p.Type == "web" && p.State != ProcessState.Down);
        var warnings = cluster.Logs.Entries.Where(e => e.Level == LogLevel.Warning && e.Message.Contains(app, StringComparison.Ordinal)).Select(e => e.Message).ToList();
        Assert.Contains(warnings, m => m.Contains($"Deployment {app}/{app}-worker", StringComparison.Ordinal) && m.Contains("was missing", StringComparison.Ordinal));
        Assert.Contains(warnings, m => m.Contains($"Deployment {app}/{app}-web", StringComparison.Ordinal) && m.Contains("replicas 3 -> 1", StringComparison.Ordinal));
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Autoscaling_is_a_HorizontalPodAutoscaler_that_owns_the_count_until_it_is_removed()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("hpa");
        var web = Web(replicas: 1, limits: new ResourceLimits(null, 100)) with { Autoscale = new Autoscale(2, 4, 70) };

        await scheduler.DeployAsync(cluster.Spec(app, 2, web), default);

        var hpa = (await cluster.Kubectl("get", "hpa", $"{app}-web", "-n", app,
            "-o", "jsonpath={.spec.minReplicas}/{.spec.maxReplicas}/{.spec.targetCPUUtilizationPercentage}/{.spec.scaleTargetRef.name}")).ShouldSucceed("kubectl get hpa");
        Assert.Equal($"2/4/70/{app}-web", hpa.Stdout.Trim());
        // The autoscaler brings the count to its minimum; no metrics server is needed for that.
        await Eventually.Returns(() => scheduler.ListAsync(app, default), ps => ps.Count(p => p.State == ProcessState.Up) == 2,
            "the autoscaler raised web to its minimum", TimeSpan.FromSeconds(60));

        await scheduler.DeployAsync(cluster.Spec(app, 2, web with { Autoscale = null }), default);
        var gone = await cluster.Kubectl("get", "hpa", "-n", app, "-o", "name");
        Assert.Empty(gone.ShouldSucceed("kubectl get hpa").Stdout.Trim());
        Assert.Single(await scheduler.ListAsync(app, default), p => p.State != ProcessState.Down);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Destroy_deletes_the_namespace_and_a_namespace_Paas_did_not_make_is_left_alone()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("destroy");
        await scheduler.DeployAsync(cluster.Spec(app, 2, Web()), default);
        Assert.Contains(app, await scheduler.AppsAsync(default));

        await scheduler.DestroyAsync(app, default);

        var phase = await cluster.Kubectl("get", "namespace", app, "-o", "jsonpath={.status.phase}", "--ignore-not-found");
        Assert.True(phase.Stdout.Trim() is "" or "Terminating", phase.Stdout);
        Assert.DoesNotContain(app, await scheduler.AppsAsync(default));
        await Eventually.Returns(() => scheduler.ListAsync(app, default), ps => ps.All(p => p.State == ProcessState.Down), "the pods stop", TimeSpan.FromSeconds(60));

        var foreign = cluster.NewApp("foreign");
        (await cluster.Kubectl("create", "namespace", foreign)).ShouldSucceed("kubectl create namespace");
        var refused = await Assert.ThrowsAsync<DeploymentFailedException>(() => scheduler.DeployAsync(cluster.Spec(foreign, 2, Web()), default));
        Assert.Contains("Paas did not create it", refused.Message, StringComparison.Ordinal);
        await scheduler.DestroyAsync(foreign, default);
        var still = await cluster.Kubectl("get", "namespace", foreign, "-o", "jsonpath={.status.phase}");
        Assert.Equal("Active", still.ShouldSucceed("kubectl get namespace").Stdout.Trim());
    }
}
