using System.Globalization;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>How the router reaches an app's Service.</summary>
public enum ServiceAddress
{
    /// <summary>Its ClusterIP, port 80: the router runs outside the cluster on a host that routes the service network (a node).</summary>
    ClusterIp,

    /// <summary>&lt;app&gt;.&lt;app&gt;.svc.cluster.local:80: the router runs in the cluster.</summary>
    Dns,
}

public sealed class KubernetesSchedulerOptions
{
    /// <summary>How long a release's processes may take to become ready (PAAS_DEPLOY_TIMEOUT, seconds).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How often rollouts and one-offs are looked at while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How the route table points at apps (PAAS_K8S_SERVICE_ADDRESS: cluster-ip or dns).</summary>
    public ServiceAddress ServiceAddress { get; init; } = ServiceAddress.ClusterIp;

    /// <summary>The cluster's DNS domain, for <see cref="ServiceAddress.Dns"/>.</summary>
    public string ClusterDomain { get; init; } = "cluster.local";

    /// <summary>This platform's name on the cluster (PAAS_K8S_PLATFORM), for clusters several platforms share.</summary>
    public string Platform { get; init; } = Names.DefaultPlatform;

    /// <summary>Longest a single API call may take (streams excepted).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

public static class KubernetesSchedulerRegistration
{
    /// <summary>
    /// The cluster named by KUBECONFIG; inside a cluster, its service account; otherwise ~/.kube/config.
    /// </summary>
    public static IServiceCollection AddKubernetesScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        var inCluster = KubernetesClientConfiguration.IsInCluster();
        var options = new KubernetesSchedulerOptions
        {
            ReadyTimeout = TimeSpan.FromSeconds(Seconds(configuration["PAAS_DEPLOY_TIMEOUT"]) ?? 60),
            ServiceAddress = configuration["PAAS_K8S_SERVICE_ADDRESS"] switch
            {
                "dns" => ServiceAddress.Dns,
                "cluster-ip" => ServiceAddress.ClusterIp,
                null or "" => inCluster ? ServiceAddress.Dns : ServiceAddress.ClusterIp,
                var other => throw new InvalidOperationException($"PAAS_K8S_SERVICE_ADDRESS must be 'cluster-ip' or 'dns' (got '{other}')."),
            },
            Platform = Platform(configuration["PAAS_K8S_PLATFORM"]),
        };
        services.AddSingleton(options);
        services.AddSingleton<IKubernetes>(_ =>
        {
            var config = ClientConfiguration(configuration["KUBECONFIG"], inCluster);
            config.HttpClientTimeout = options.CallTimeout;
            return new k8s.Kubernetes(config);
        });
        services.AddSingleton<IScheduler, KubernetesScheduler>();
        return services;
    }

    private static KubernetesClientConfiguration ClientConfiguration(string? kubeconfig, bool inCluster)
    {
        if (kubeconfig is { Length: > 0 })
        {
            // KUBECONFIG may list several files; the first one that exists is the one we use.
            var file = kubeconfig.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException($"KUBECONFIG names {kubeconfig}, which does not exist.");
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(file);
        }
        if (inCluster) return KubernetesClientConfiguration.InClusterConfig();
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        return File.Exists(home)
            ? KubernetesClientConfiguration.BuildConfigFromConfigFile(home)
            : throw new InvalidOperationException(
                "PAAS_SCHEDULER=kubernetes needs a cluster: set KUBECONFIG, run the controller in a cluster, or provide ~/.kube/config.");
    }

    /// <summary>A label value: up to 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit.</summary>
    private static string Platform(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Names.DefaultPlatform;
        if (name.Length > 63 || !char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1])
            || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new InvalidOperationException($"PAAS_K8S_PLATFORM must be a Kubernetes label value (letters, digits, '-', '_', '.'; at most 63); got '{name}'.");
        return name;
    }

    private static double? Seconds(string? text) =>
        double.TryParse(text, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : null;
}
