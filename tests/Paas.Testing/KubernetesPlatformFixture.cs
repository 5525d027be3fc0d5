namespace Paas.Testing;

/// <summary>
/// A whole platform whose apps run on the machine's shared local Kubernetes (<see cref="KubernetesCluster"/>):
/// scripts/platform with PAAS_SCHEDULER=kubernetes and the cluster's KUBECONFIG, as
/// `PAAS_SCHEDULER=kubernetes KUBECONFIG=FILE scripts/up` does. The platform's own services stay on the host;
/// the kubelet pulls app images from the platform's registry on 127.0.0.1. Its platform name on the cluster is
/// its own, so it never touches the apps of another platform sharing the cluster, and at the end it deletes
/// the namespaces of the apps it made. Without a cluster, <see cref="PlatformFixture.SkipReason"/> says why.
/// </summary>
public class KubernetesPlatformFixture : PlatformFixture
{
    public KubernetesCluster? Cluster { get; private set; }

    /// <summary>PAAS_K8S_PLATFORM of this platform: the label value on its namespaces.</summary>
    public string PlatformName { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];

    protected override async Task PrepareAsync()
    {
        Cluster = await KubernetesCluster.EnsureAsync();
        if (!Cluster.Available) SkipReason = Cluster.SkipReason;
    }

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PAAS_SCHEDULER"] = "kubernetes",
        ["KUBECONFIG"] = Cluster?.Kubeconfig,
        ["PAAS_K8S_PLATFORM"] = PlatformName,
        ["PAAS_DEPLOY_TIMEOUT"] = "60",
    };

    /// <summary>kubectl against the cluster.</summary>
    public Task<CommandResult> Kubectl(params string[] args) =>
        Processes.RunAsync("kubectl", args, environment: new Dictionary<string, string?> { ["KUBECONFIG"] = Cluster!.Kubeconfig },
            timeout: TimeSpan.FromMinutes(2));

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync(); // first, so its reconciler puts nothing back
        if (SkipReason is null)
            await Kubectl("delete", "namespaces", "-l", $"paas/platform={PlatformName}", "--wait=false");
    }
}
