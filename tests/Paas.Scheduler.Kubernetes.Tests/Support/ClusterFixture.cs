using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Testing;

namespace Paas.Scheduler.Kubernetes.Tests.Support;

/// <summary>
/// The machine's shared local Kubernetes (tests/Paas.Testing/KubernetesCluster), a registry of our own on a
/// free loopback port, and the test image built on the busybox base image, pushed there and removed from the
/// cluster's Docker engine again, so the kubelet pulls it from the registry as it would a pushed app.
/// Every app (= namespace) a test makes is deleted at the end, also when the test failed.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>busybox httpd on $PORT, with /cgi-bin/health answering 500 until /tmp/healthy exists.</summary>
    public const string Serve = "exec httpd -f -p $PORT -h /www";
    public const string HealthPath = "/cgi-bin/health";

    private const string HealthScript = """
        #!/bin/sh
        if [ -f /tmp/healthy ]; then printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n'
        else printf 'Status: 500 Sick\r\nContent-Type: text/plain\r\n\r\nsick\n'; fi

        """;

    private readonly string directory = Path.Combine("/tmp", "paas-k8s-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ConcurrentBag<string> apps = [];
    private KubernetesCluster? cluster;
    private k8s.Kubernetes? client;

    public string? SkipReason { get; private set; }

    public bool Available => SkipReason is null;

    public IKubernetes Client => client ?? throw new InvalidOperationException(SkipReason);

    /// <summary>127.0.0.1:PORT/paas-test/web:TAG, only in the registry.</summary>
    public string Image { get; private set; } = "";

    public string Registry { get; private set; } = "";

    public string Kubeconfig => cluster?.Kubeconfig ?? "";

    public LogCapture Logs { get; } = new();

    /// <summary>
    /// This fixture's platform name: a platform sharing the cluster (another test run's, one installed by the chart)
    /// neither lists nor removes our apps, and ours leave theirs alone.
    /// </summary>
    public string Platform { get; } = "test-" + Guid.NewGuid().ToString("N")[..8];

    public async Task InitializeAsync()
    {
        cluster = await KubernetesCluster.EnsureAsync();
        if (!cluster.Available)
        {
            SkipReason = cluster.SkipReason;
            return;
        }
        if (cluster.DockerHost is null)
        {
            SkipReason = "the cluster's Docker engine is unknown (set DOCKER_HOST with PAAS_TEST_KUBECONFIG), so no test image can be pushed";
            return;
        }
        client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        Directory.CreateDirectory(directory);
        var port = Processes.FreePort();
        (await Svc("start", "registry", Path.Combine(directory, "registry"), port.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .ShouldSucceed("svc start registry");
        Registry = $"127.0.0.1:{port}";
        (await Svc("base-image", cluster.DockerHost)).ShouldSucceed("svc base-image");
        Image = $"{Registry}/paas-test/web:{Guid.NewGuid().ToString("N")[..8]}";
        await BuildAndPushAsync();
    }

    public async Task DisposeAsync()
    {
        if (client is not null)
        {
            foreach (var app in apps.Distinct())
            {
                try
                {
                    await client.CoreV1.DeleteNamespaceAsync(app, propagationPolicy: "Background");
                }
                catch (k8s.Autorest.HttpOperationException)
                {
                    // already gone (the test destroyed it)
                }
            }
            client.Dispose();
        }
        if (Directory.Exists(directory))
        {
            await Svc("stop", "registry", Path.Combine(directory, "registry"));
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Task<CommandResult> Svc(params string[] args) =>
        Processes.RunAsync(RepoPaths.Script("svc"), args, RepoPaths.Root, new Dictionary<string, string?> { ["SVC_QUIET"] = "1" }, TimeSpan.FromMinutes(2));

    /// <summary>The docker CLI against the cluster's engine.</summary>
    public Task<CommandResult> Docker(params string[] args) =>
        Processes.RunAsync("docker", args, environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = cluster!.DockerHost }, timeout: TimeSpan.FromMinutes(2));

    /// <summary>kubectl against the cluster, as an operator would use it.</summary>
    public Task<CommandResult> Kubectl(params string[] args) =>
        Processes.RunAsync("kubectl", args, environment: new Dictionary<string, string?> { ["KUBECONFIG"] = cluster!.Kubeconfig }, timeout: TimeSpan.FromMinutes(2));

    private async Task BuildAndPushAsync()
    {
        var context = Path.Combine(directory, "image");
        Directory.CreateDirectory(Path.Combine(context, "www", "cgi-bin"));
        await File.WriteAllTextAsync(Path.Combine(context, "www", "index.html"), "hello from kubernetes\n");
        var health = Path.Combine(context, "www", "cgi-bin", "health");
        await File.WriteAllTextAsync(health, HealthScript.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(health, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM paas/busybox\nCOPY www /www\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /www\"]\n");
        (await Docker("build", "-q", "-t", Image, context)).ShouldSucceed("docker build");
        (await Docker("push", Image)).ShouldSucceed("docker push");
        // Only the registry has it now: the kubelet must pull it, as it does an app's image.
        (await Docker("rmi", Image)).ShouldSucceed("docker rmi");
    }

    /// <summary>A scheduler as the controller makes one; the wait is generous, for a machine busy with other test runs.</summary>
    public KubernetesScheduler Scheduler(TimeSpan? readyTimeout = null) =>
        new(Client, new KubernetesSchedulerOptions { ReadyTimeout = readyTimeout ?? TimeSpan.FromSeconds(120), Platform = Platform },
            Logs.CreateLogger<KubernetesScheduler>());

    /// <summary>A unique app (and namespace) name, deleted when the fixture ends.</summary>
    public string NewApp(string prefix)
    {
        var app = $"k8s-{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        apps.Add(app);
        return app;
    }

    /// <summary>A release of the test image; PORT is set as the controller sets it.</summary>
    public DeploymentSpec Spec(string app, int version, params ProcessSpec[] processes) =>
        new(app, version, Image, new Dictionary<string, string>
        {
            ["PORT"] = "5000",
            ["GREETING"] = "hello from config",
            ["PAAS_APP"] = app,
            ["PAAS_RELEASE"] = $"v{version}",
        }, processes);

    public static ProcessSpec Web(int replicas = 1, string? command = Serve, Healthcheck? healthcheck = null, ResourceLimits? limits = null) =>
        new(ProcessTypes.Web, command, replicas, limits, healthcheck, TerminationGraceSeconds: 2);

    public static ProcessSpec Worker(string command, int replicas = 1) =>
        new("worker", command, replicas, TerminationGraceSeconds: 2);

    public async Task<IList<V1Pod>> PodsAsync(string app) =>
        (await Client.CoreV1.ListNamespacedPodAsync(app)).Items.Where(p => p.Metadata.DeletionTimestamp is null).ToList();
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "the local Kubernetes cluster";
}
