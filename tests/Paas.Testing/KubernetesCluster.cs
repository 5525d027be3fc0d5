namespace Paas.Testing;

/// <summary>
/// The local single-node Kubernetes of ../shared/k8s (one per machine). Every test assembly that needs a
/// cluster shares the same one: its state directory is fixed, `up` on a running cluster only prints its
/// variables, and scripts/test stops it at the end (scripts/lib/k8s.sh). When the harness is missing or
/// `up` fails, <see cref="SkipReason"/> says why (with the log tail) and the tests skip with it.
/// </summary>
public sealed class KubernetesCluster
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static KubernetesCluster? started;

    private KubernetesCluster(string? kubeconfig, string? dockerHost, string? skipReason)
    {
        Kubeconfig = kubeconfig;
        DockerHost = dockerHost;
        SkipReason = skipReason;
    }

    /// <summary>The admin kubeconfig; null when the cluster is not available.</summary>
    public string? Kubeconfig { get; }

    /// <summary>The cluster's own Docker engine (images for <c>imagePullPolicy: Never</c>).</summary>
    public string? DockerHost { get; }

    /// <summary>Why there is no cluster; null when there is one.</summary>
    public string? SkipReason { get; }

    public bool Available => SkipReason is null;

    /// <summary>The harness's state directory, shared by every test process on the machine.</summary>
    public static string StateDirectory =>
        Environment.GetEnvironmentVariable("PAAS_TEST_K8S_DIR") is { Length: > 0 } dir ? dir : "/tmp/paas-test-k8s";

    public static string Harness => Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "k8s"));

    /// <summary>
    /// Starts the cluster (or finds it running). A cluster named by PAAS_TEST_KUBECONFIG is used as it is.
    /// The first start on a machine builds Kubernetes (~10 minutes); later ones take ~20 seconds.
    /// </summary>
    public static async Task<KubernetesCluster> EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return started ??= await StartAsync();
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<KubernetesCluster> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PAAS_TEST_KUBECONFIG") is { Length: > 0 } given)
            return File.Exists(given)
                ? new KubernetesCluster(given, Environment.GetEnvironmentVariable("DOCKER_HOST"), null)
                : new KubernetesCluster(null, null, $"PAAS_TEST_KUBECONFIG names {given}, which does not exist");
        var up = Path.Combine(Harness, "up");
        if (!File.Exists(up)) return new KubernetesCluster(null, null, $"the Kubernetes harness {up} is not on this machine");
        CommandResult result;
        try
        {
            // flock: test processes of several assemblies may ask at the same moment; the harness refuses a second cluster.
            // -o: the cluster's daemons, started by `up`, must not inherit the locked descriptor, or they would hold
            // the lock for as long as the cluster runs and every later EnsureAsync would wait for it in vain.
            result = await Processes.RunAsync("flock", ["-o", "/tmp/paas-test-k8s.lock", up, StateDirectory],
                environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = null, ["KUBECONFIG"] = null },
                timeout: TimeSpan.FromMinutes(25));
        }
        catch (TimeoutException e)
        {
            return new KubernetesCluster(null, null, "../shared/k8s/up did not finish within 25 minutes: " + Tail(e.Message));
        }
        if (result.ExitCode != 0)
            return new KubernetesCluster(null, null, $"../shared/k8s/up exited {result.ExitCode}: {Tail(result.Stderr)}");
        string? Value(string name) => result.Stdout.Split('\n').Select(l => l.Trim())
            .LastOrDefault(l => l.StartsWith(name + "=", StringComparison.Ordinal))?[(name.Length + 1)..];
        var kubeconfig = Value("KUBECONFIG");
        return kubeconfig is null
            ? new KubernetesCluster(null, null, "../shared/k8s/up printed no KUBECONFIG line: " + Tail(result.Stdout))
            : new KubernetesCluster(kubeconfig, Value("DOCKER_HOST"), null);
    }

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', lines.TakeLast(15));
    }
}
