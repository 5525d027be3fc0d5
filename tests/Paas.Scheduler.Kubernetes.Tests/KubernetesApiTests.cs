using System.Net;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Kubernetes.Tests.Support;

namespace Paas.Scheduler.Kubernetes.Tests;

/// <summary>
/// The requests the scheduler makes and how it answers API errors, against an in-process fake API server:
/// no cluster needed, so these run everywhere.
/// </summary>
public sealed class KubernetesApiTests : IAsyncLifetime
{
    private FakeKubernetesApi api = null!;
    private readonly LogCapture logs = new();

    public async Task InitializeAsync() => api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await api.DisposeAsync();

    private KubernetesScheduler Scheduler(TimeSpan? callTimeout = null) =>
        new(api.Client(callTimeout), new KubernetesSchedulerOptions
        {
            ReadyTimeout = TimeSpan.FromSeconds(5),
            PollInterval = TimeSpan.FromMilliseconds(50),
            CallTimeout = callTimeout ?? TimeSpan.FromSeconds(10),
        }, logs.CreateLogger<KubernetesScheduler>());

    private static DeploymentSpec Spec(int version = 3, int replicas = 2) =>
        new("demo", version, "127.0.0.1:5000/demo:git-1", new Dictionary<string, string> { ["PORT"] = "5000" },
            [new ProcessSpec("web", null, replicas), new ProcessSpec("worker", "./work", 1)]);

    [Fact]
    public async Task A_deploy_applies_every_object_server_side_as_field_manager_paas()
    {
        await Scheduler().DeployAsync(Spec(), default);

        Assert.Equal(
        [
            "PATCH /api/v1/namespaces/demo",
            "PATCH /api/v1/namespaces/demo/secrets/demo-v3-env",
            "PATCH /apis/apps/v1/namespaces/demo/deployments/demo-web",
            "PATCH /apis/apps/v1/namespaces/demo/deployments/demo-worker",
            "PATCH /api/v1/namespaces/demo/services/demo",
        ], api.Changes.Select(r => r.ToString()));
        Assert.All(api.Changes, r =>
        {
            Assert.Equal("application/apply-patch+yaml; charset=utf-8", r.ContentType);
            Assert.Equal("paas", r.Query["fieldManager"]);
            Assert.Equal("true", r.Query["force"]);
        });
        Assert.Contains(api.Requests, r => r.Method == "GET" && r.Path == "/api/v1/namespaces/demo"); // whose namespace is it?
    }

    [Fact]
    public async Task Deploying_the_same_release_again_applies_the_same_objects_and_logs_no_drift()
    {
        var scheduler = Scheduler();
        await scheduler.DeployAsync(Spec(), default);
        var first = api.Changes.Skip(1).Select(r => r.Body).ToList(); // after the namespace, which is applied once

        await scheduler.DeployAsync(Spec(), default);

        Assert.Equal(first, api.Changes.Skip(first.Count + 1).Select(r => r.Body));
        Assert.DoesNotContain(logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning);
    }

    [Fact]
    public async Task A_conflict_fails_the_deploy_with_what_Kubernetes_said()
    {
        api.Fail("PATCH", "/apis/apps/v1/namespaces/demo/deployments/demo-web", HttpStatusCode.Conflict,
            "Operation cannot be fulfilled on deployments.apps \"demo-web\": the object has been modified");

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => Scheduler().DeployAsync(Spec(), default));

        Assert.Equal("Kubernetes did not take demo v3: Kubernetes reported a conflict when asked to apply Deployment demo/demo-web (409): " +
                     "Operation cannot be fulfilled on deployments.apps \"demo-web\": the object has been modified", failure.Message);
    }

    [Fact]
    public async Task Forbidden_says_which_permission_the_controller_lacks()
    {
        api.Fail("GET", "/api/v1/pods", HttpStatusCode.Forbidden,
            "pods is forbidden: User \"system:serviceaccount:paas:controller\" cannot list resource \"pods\" in API group \"\" at the cluster scope");

        var failure = await Assert.ThrowsAsync<SchedulerUnavailableException>(() => Scheduler().ListAsync(null, default));

        Assert.StartsWith("Kubernetes refused to let the controller list the pods of every app (403 Forbidden): pods is forbidden: " +
                          "User \"system:serviceaccount:paas:controller\" cannot list resource \"pods\"", failure.Message, StringComparison.Ordinal);
        Assert.Contains("needs that permission", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_what_is_already_gone_is_not_an_error()
    {
        var scheduler = Scheduler();
        await scheduler.DeployAsync(Spec(version: 3), default);
        await scheduler.DeployAsync(Spec(version: 4) with { Processes = [new ProcessSpec("web", null, 1)] }, default);
        api.Fail("DELETE", "/apis/apps/v1/namespaces/demo/deployments/demo-worker", HttpStatusCode.NotFound, "deployments.apps \"demo-worker\" not found");

        await scheduler.RetireAsync("demo", 4, default);

        Assert.Contains("DELETE /apis/apps/v1/namespaces/demo/deployments/demo-worker", api.Changes.Select(r => r.ToString()));
        Assert.Contains("DELETE /api/v1/namespaces/demo/secrets/demo-v3-env", api.Changes.Select(r => r.ToString()));
        Assert.DoesNotContain("DELETE /apis/apps/v1/namespaces/demo/deployments/demo-web", api.Changes.Select(r => r.ToString()));
        Assert.DoesNotContain("DELETE /api/v1/namespaces/demo/services/demo", api.Changes.Select(r => r.ToString()));

        await scheduler.DestroyAsync("never-deployed", default); // no namespace: nothing to do
        Assert.DoesNotContain(api.Changes, r => r.Path.Contains("never-deployed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_API_server_that_does_not_answer_in_time_is_named_with_the_call_and_the_limit()
    {
        api.Fail("GET", "/api/v1/pods", HttpStatusCode.OK, "never sent in time", delay: TimeSpan.FromSeconds(10));

        var failure = await Assert.ThrowsAsync<SchedulerUnavailableException>(() => Scheduler(TimeSpan.FromSeconds(1)).ListAsync(null, default));

        Assert.Equal($"The Kubernetes API at {api.Address} did not answer within 1 s when asked to list the pods of every app.", failure.Message);
    }

    [Fact]
    public async Task An_unreachable_API_server_is_reported_as_such()
    {
        var address = api.Address;
        await api.DisposeAsync();
        api = await FakeKubernetesApi.StartAsync(); // for DisposeAsync; the scheduler talks to the stopped one
        var scheduler = new KubernetesScheduler(
            new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = address.ToString() }),
            new KubernetesSchedulerOptions(), logs.CreateLogger<KubernetesScheduler>());

        var failure = await Assert.ThrowsAsync<SchedulerUnavailableException>(() => scheduler.ListAsync("demo", default));

        Assert.StartsWith($"Could not reach the Kubernetes API at {address} to list the pods of demo:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_namespace_Paas_did_not_make_is_neither_used_nor_deleted()
    {
        api.Seed("/api/v1/namespaces/demo", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo","labels":{"team":"billing"}}}""");
        var scheduler = Scheduler();

        var failure = await Assert.ThrowsAsync<DeploymentFailedException>(() => scheduler.DeployAsync(Spec(), default));
        await scheduler.DestroyAsync("demo", default);

        Assert.Contains("Namespace demo exists in the cluster and Paas did not create it", failure.Message, StringComparison.Ordinal);
        Assert.Empty(api.Changes);
    }

    [Fact]
    public async Task The_route_table_reaches_web_through_the_Service_address()
    {
        var scheduler = Scheduler();
        await scheduler.DeployAsync(Spec(), default);
        api.Seed("/api/v1/namespaces/demo/services/demo", """
            {"apiVersion":"v1","kind":"Service","metadata":{"name":"demo","namespace":"demo","labels":{"heritage":"paas","paas/platform":"paas","app":"demo"}},
             "spec":{"clusterIP":"10.0.0.42","ports":[{"port":80,"protocol":"TCP"}]}}
            """);
        foreach (var (name, ready) in new[] { ("demo-web-5f7-aaaaa", true), ("demo-web-5f7-bbbbb", false) })
            api.Seed($"/api/v1/namespaces/demo/pods/{name}", """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","namespace":"demo","uid":"NAME",
                  "labels":{"heritage":"paas","paas/platform":"paas","app":"demo","type":"web","version":"v3"}},
                 "status":{"phase":"Running","startTime":"2026-11-23T10:00:00Z",
                  "containerStatuses":[{"name":"web","ready":READY,"restartCount":1,"image":"x","imageID":"y",
                    "state":{"running":{"startedAt":"2026-11-23T10:00:05Z"}}}]}}
                """.Replace("NAME", name, StringComparison.Ordinal).Replace("READY", ready ? "true" : "false", StringComparison.Ordinal));

        var processes = await scheduler.ListAsync(null, default);

        Assert.Equal(
        [
            new AppProcess("demo", "web", "demo-web-5f7-aaaaa", 3, ProcessState.Up, new DateTimeOffset(2026, 11, 23, 10, 0, 5, TimeSpan.Zero), "10.0.0.42:80", 1),
            new AppProcess("demo", "web", "demo-web-5f7-bbbbb", 3, ProcessState.Starting, new DateTimeOffset(2026, 11, 23, 10, 0, 5, TimeSpan.Zero), null, 1),
        ], processes);
        Assert.Equal("labelSelector=heritage=paas,paas/platform=paas,!paas/one-off",
            $"labelSelector={api.Requests.Last(r => r.Path == "/api/v1/pods").Query["labelSelector"]}");
    }

    [Fact]
    public async Task Autoscaling_applies_a_HorizontalPodAutoscaler_and_removing_it_deletes_it()
    {
        var scheduler = Scheduler();
        var autoscaled = Spec() with { Processes = [new ProcessSpec("web", null, 2, Autoscale: new Autoscale(1, 5, 80))] };
        await scheduler.DeployAsync(autoscaled, default);
        Assert.Contains("PATCH /apis/autoscaling/v1/namespaces/demo/horizontalpodautoscalers/demo-web", api.Changes.Select(r => r.ToString()));
        Assert.Null(api.Get("/apis/apps/v1/namespaces/demo/deployments/demo-web")!["spec"]!["replicas"]);

        await scheduler.DeployAsync(Spec() with { Processes = [new ProcessSpec("web", null, 2)] }, default);

        Assert.Equal("DELETE /apis/autoscaling/v1/namespaces/demo/horizontalpodautoscalers/demo-web", api.Changes[^1].ToString());
        Assert.Equal(2, api.Get("/apis/apps/v1/namespaces/demo/deployments/demo-web")!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_routed_type_gets_a_Service_which_goes_when_no_service_routes_to_it()
    {
        var scheduler = Scheduler();
        await scheduler.DeployAsync(Spec() with { RoutedTypes = ["worker"] }, default);
        Assert.Contains("PATCH /api/v1/namespaces/demo/services/demo-worker", api.Changes.Select(r => r.ToString()));

        // Applied again without it; the API server answers the deletion with a Status object, as Kubernetes 1.20 does.
        await scheduler.DeployAsync(Spec(), default);

        Assert.Equal("DELETE /api/v1/namespaces/demo/services/demo-worker", api.Changes[^1].ToString());
        Assert.Null(api.Get("/api/v1/namespaces/demo/services/demo-worker"));
        Assert.NotNull(api.Get("/api/v1/namespaces/demo/services/demo"));
    }
}
