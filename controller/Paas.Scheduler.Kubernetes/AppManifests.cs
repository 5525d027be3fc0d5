using System.Globalization;
using System.Text;
using System.Text.Json;
using k8s;
using k8s.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>The Kubernetes objects of one release of an app, in the order they are applied (what others refer to first).</summary>
public sealed record AppObjects(
    V1Namespace Namespace,
    IReadOnlyList<V1Secret> Secrets,
    IReadOnlyList<V1Deployment> Deployments,
    IReadOnlyList<V1Service> Services,
    IReadOnlyList<V1HorizontalPodAutoscaler> Autoscalers)
{
    public IEnumerable<IKubernetesObject<V1ObjectMeta>> All =>
        new IKubernetesObject<V1ObjectMeta>[] { Namespace }.Concat(Secrets).Concat(Deployments).Concat(Services).Concat(Autoscalers);
}

/// <summary>
/// What should exist in Kubernetes for a release: pure functions of the spec, tested with golden files.
/// Only fields Paas means to own are set, since server-side apply makes the field manager own exactly
/// what it sends; the API server's defaults stay the API server's.
/// Only core v1, apps/v1 and autoscaling/v1, which every Kubernetes from 1.19 on serves.
/// </summary>
public static class AppManifests
{
    /// <param name="platform">This platform's name on the cluster (<see cref="Names.PlatformLabel"/>).</param>
    public static AppObjects For(DeploymentSpec spec, string platform = Names.DefaultPlatform)
    {
        var secrets = new List<V1Secret> { ReleaseSecret(spec.App, spec.Version, spec.Environment, platform) };
        var registry = RegistrySecret(spec.App, spec.Version, spec.Image, spec.PullCredentials, platform);
        if (registry is not null) secrets.Add(registry);
        var deployments = spec.Processes.OrderBy(p => p.Type, StringComparer.Ordinal)
            .Select(p => Deployment(spec, p, registry is not null, platform)).ToList();
        // web's Service, then one for each other type the app's services route to.
        var services = spec.Processes.Where(p => p.Type == ProcessTypes.Web || (spec.RoutedTypes?.Contains(p.Type) ?? false))
            .OrderBy(p => p.Type != ProcessTypes.Web).ThenBy(p => p.Type, StringComparer.Ordinal)
            .Select(p => Service(spec, p.Type, platform)).ToList();
        var autoscalers = spec.Processes.Where(p => p.Autoscale is not null).OrderBy(p => p.Type, StringComparer.Ordinal)
            .Select(p => Autoscaler(spec, p, platform)).ToList();
        return new AppObjects(Namespace(spec.App, platform), secrets, deployments, services, autoscalers);
    }

    public static V1Namespace Namespace(string app, string platform) => new()
    {
        ApiVersion = "v1",
        Kind = V1Namespace.KubeKind,
        Metadata = new V1ObjectMeta
        {
            Name = Names.Namespace(app),
            Labels = new Dictionary<string, string>
            {
                [Names.AppLabel] = app,
                [Names.HeritageLabel] = Names.Heritage,
                [Names.ManagedByLabel] = Names.Heritage,
                [Names.PlatformLabel] = platform,
            },
        },
    };

    /// <summary>
    /// The release's environment. Values go in <c>data</c> (base64 of UTF-8), not <c>stringData</c>: the API
    /// server never stores stringData, so applying it again would always look like a change.
    /// </summary>
    public static V1Secret ReleaseSecret(string app, int version, IReadOnlyDictionary<string, string> environment, string platform) => new()
    {
        ApiVersion = "v1",
        Kind = V1Secret.KubeKind,
        Metadata = Meta(Names.ReleaseSecret(app, version), app, Labels(app, null, version, platform)),
        Type = "Opaque",
        Data = environment.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetBytes(kv.Value), StringComparer.Ordinal),
    };

    /// <summary>
    /// Deis's registry settings (username, password) as the pull secret the kubelet uses for the app's image;
    /// null when there are none.
    /// </summary>
    public static V1Secret? RegistrySecret(string app, int version, string image, RegistryCredentials? credentials, string platform)
    {
        if (credentials is not { Username: var username, Password: var password }) return null;
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        var config = new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object>
            {
                [ImageReference.RegistryHost(image)] = new Dictionary<string, string> { ["username"] = username, ["password"] = password, ["auth"] = auth },
            },
        };
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = V1Secret.KubeKind,
            Metadata = Meta(Names.RegistrySecret(app), app, Labels(app, null, version, platform)),
            Type = "kubernetes.io/dockerconfigjson",
            Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = JsonSerializer.SerializeToUtf8Bytes(config) },
        };
    }

    public static V1Deployment Deployment(DeploymentSpec spec, ProcessSpec process, bool registrySecret, string platform)
    {
        var labels = Labels(spec.App, process.Type, spec.Version, platform);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = V1Deployment.KubeKind,
            Metadata = Meta(Names.Deployment(spec.App, process.Type), spec.App, labels),
            Spec = new V1DeploymentSpec
            {
                // Autoscaled: the HorizontalPodAutoscaler owns the count; a replicas field here would fight it on every apply.
                Replicas = process.Autoscale is null ? process.Replicas : null,
                // Immutable once created, so it names the process type only, never the release.
                Selector = new V1LabelSelector { MatchLabels = Selector(spec.App, process.Type) },
                // Old pods stop only once new ones are ready: the previous release serves until then.
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels },
                    Spec = PodSpec(spec.App, spec.Version, spec.Image, process.Type, process.Command, process.Limits, spec.Tags,
                        registrySecret, process.TerminationGraceSeconds, process.Healthcheck,
                        // Only web gets a default readiness check. A type a service routes to is reached on $PORT through its
                        // Service all the same (targetPort), but its pod template stays the same whether routed or not:
                        // server-side apply cannot take a default probe away again (the API server's defaults stay behind
                        // without a handler, which it refuses). `healthchecks:set` gives it one.
                        process.Type == ProcessTypes.Web),
                },
            },
        };
    }

    /// <summary>
    /// The Service the router reaches a type's processes through, port 80 to $PORT: &lt;app&gt; for web (with the
    /// app's domains), &lt;app&gt;-&lt;type&gt; for a type the app's services route to.
    /// </summary>
    public static V1Service Service(DeploymentSpec spec, string type, string platform)
    {
        var metadata = Meta(Names.Service(spec.App, type), spec.App, Labels(spec.App, type, spec.Version, platform));
        if (type == ProcessTypes.Web && spec.Domains is { Count: > 0 } domains)
            metadata.Annotations = new Dictionary<string, string> { [Names.DomainsAnnotation] = string.Join(",", domains.Order(StringComparer.Ordinal)) };
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = V1Service.KubeKind,
            Metadata = metadata,
            Spec = new V1ServiceSpec
            {
                Type = "ClusterIP",
                Selector = Selector(spec.App, type),
                // protocol stated: it is part of the list's key, and Kubernetes 1.20 refuses an apply without it.
                Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = DeploymentSpec.WebPort, Protocol = "TCP" }],
            },
        };
    }

    public static V1HorizontalPodAutoscaler Autoscaler(DeploymentSpec spec, ProcessSpec process, string platform)
    {
        var rule = process.Autoscale ?? throw new ArgumentException($"{process.Type} is not autoscaled.", nameof(process));
        return new V1HorizontalPodAutoscaler
        {
            ApiVersion = "autoscaling/v1",
            Kind = V1HorizontalPodAutoscaler.KubeKind,
            Metadata = Meta(Names.Autoscaler(spec.App, process.Type), spec.App, Labels(spec.App, process.Type, spec.Version, platform)),
            Spec = new V1HorizontalPodAutoscalerSpec
            {
                ScaleTargetRef = new V1CrossVersionObjectReference
                {
                    ApiVersion = "apps/v1",
                    Kind = V1Deployment.KubeKind,
                    Name = Names.Deployment(spec.App, process.Type),
                },
                MinReplicas = rule.Min,
                MaxReplicas = rule.Max,
                TargetCPUUtilizationPercentage = rule.CpuPercent,
            },
        };
    }

    /// <summary>A one-off process (`paas run`): never restarted, stopped after its deadline.</summary>
    public static V1Pod OneOff(OneOffSpec spec, string name, TimeSpan deadline, bool registrySecret, string platform)
    {
        var labels = Labels(spec.App, Names.OneOffType, spec.Version, platform);
        labels[Names.OneOffLabel] = "true";
        var pod = PodSpec(spec.App, spec.Version, spec.Image, Names.OneOffType, spec.Command, spec.Limits, null, registrySecret, null, null, web: false);
        pod.RestartPolicy = "Never";
        // A backstop should the controller be gone when the run's own timeout strikes.
        pod.ActiveDeadlineSeconds = (long)Math.Ceiling(deadline.TotalSeconds);
        pod.TerminationGracePeriodSeconds = 1;
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = V1Pod.KubeKind,
            Metadata = Meta(name, spec.App, labels),
            Spec = pod,
        };
    }

    private static V1PodSpec PodSpec(string app, int version, string image, string type, string? command, ResourceLimits? limits,
        IReadOnlyDictionary<string, string>? tags, bool registrySecret, int? graceSeconds, Healthcheck? healthcheck, bool web) => new()
    {
        // Apps do not talk to the Kubernetes API: no token in their file system, and no wait for one in a new namespace.
        AutomountServiceAccountToken = false,
        // The pause container becomes PID 1 and reaps orphans; the app's process then gets SIGTERM's default
        // action instead of PID 1's "ignored", so it stops at once rather than after the grace period (docker run --init).
        ShareProcessNamespace = true,
        // No <SERVICE>_PORT variables of other services: the environment is the config, as on the Docker backend.
        EnableServiceLinks = false,
        TerminationGracePeriodSeconds = graceSeconds,
        NodeSelector = tags is { Count: > 0 } ? tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal) : null,
        ImagePullSecrets = registrySecret ? [new V1LocalObjectReference { Name = Names.RegistrySecret(app) }] : null,
        Containers =
        [
            new V1Container
            {
                Name = type,
                Image = image,
                Command = command is null ? null : ["/bin/sh", "-c", command],
                EnvFrom = [new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = Names.ReleaseSecret(app, version) } }],
                Env = [new V1EnvVar { Name = "PAAS_PROCESS_TYPE", Value = type }],
                Ports = web ? [new V1ContainerPort { Name = "http", ContainerPort = DeploymentSpec.WebPort, Protocol = "TCP" }] : null,
                Resources = Resources(limits),
                ReadinessProbe = healthcheck?.Readiness is { } readiness ? Probe(readiness, liveness: false)
                    : web ? DefaultWebReadiness() : null,
                LivenessProbe = healthcheck?.Liveness is { } liveness ? Probe(liveness, liveness: true) : null,
            },
        ],
    };

    /// <summary>
    /// Without a readiness check, web is ready once $PORT accepts connections. Checked every second (a TCP
    /// connect costs nothing), so a deploy is not held up by the default ten-second period.
    /// </summary>
    private static V1Probe DefaultWebReadiness() => new()
    {
        TcpSocket = new V1TCPSocketAction { Port = DeploymentSpec.WebPort },
        PeriodSeconds = 1,
    };

    /// <summary>Limits only: Kubernetes then requests the same amount, so the process gets what it may use.</summary>
    private static V1ResourceRequirements? Resources(ResourceLimits? limits)
    {
        if (limits is null || (limits.MemoryBytes is null && limits.CpuMillis is null)) return null;
        var quantities = new Dictionary<string, ResourceQuantity>(StringComparer.Ordinal);
        if (limits.CpuMillis is { } millis) quantities["cpu"] = new ResourceQuantity(Cpu(millis));
        if (limits.MemoryBytes is { } bytes) quantities["memory"] = new ResourceQuantity(Memory(bytes));
        return new V1ResourceRequirements { Limits = quantities };
    }

    /// <summary>1000 → "1", 500 → "500m".</summary>
    public static string Cpu(int millis) =>
        millis % 1000 == 0 ? (millis / 1000).ToString(CultureInfo.InvariantCulture) : millis.ToString(CultureInfo.InvariantCulture) + "m";

    /// <summary>Bytes in the largest binary unit that divides them: 268435456 → "256Mi".</summary>
    public static string Memory(long bytes)
    {
        foreach (var (unit, size) in new[] { ("Gi", 1L << 30), ("Mi", 1L << 20), ("Ki", 1L << 10) })
            if (bytes % size == 0) return (bytes / size).ToString(CultureInfo.InvariantCulture) + unit;
        return bytes.ToString(CultureInfo.InvariantCulture);
    }

    public static V1Probe Probe(Probe probe, bool liveness) => new()
    {
        HttpGet = probe.Kind == ProbeKind.HttpGet
            ? new V1HTTPGetAction
            {
                Path = probe.Path,
                Port = probe.Port ?? DeploymentSpec.WebPort,
                HttpHeaders = probe.Headers is { Count: > 0 } headers
                    ? headers.OrderBy(h => h.Key, StringComparer.Ordinal).Select(h => new V1HTTPHeader { Name = h.Key, Value = h.Value }).ToList()
                    : null,
            }
            : null,
        TcpSocket = probe.Kind == ProbeKind.TcpSocket ? new V1TCPSocketAction { Port = probe.Port ?? DeploymentSpec.WebPort } : null,
        Exec = probe.Kind == ProbeKind.Exec ? new V1ExecAction { Command = probe.Command?.ToList() } : null,
        InitialDelaySeconds = probe.InitialDelaySeconds,
        TimeoutSeconds = probe.TimeoutSeconds,
        PeriodSeconds = probe.PeriodSeconds,
        // Kubernetes accepts only 1 for liveness.
        SuccessThreshold = liveness ? 1 : probe.SuccessThreshold,
        FailureThreshold = probe.FailureThreshold,
    };

    /// <summary>What a Deployment's pods are found by: app and process type (Deis's selector).</summary>
    public static Dictionary<string, string> Selector(string app, string type) =>
        new(StringComparer.Ordinal) { [Names.AppLabel] = app, [Names.TypeLabel] = type };

    public static Dictionary<string, string> Labels(string app, string? type, int version, string platform)
    {
        // Deis's labels first, then the recommended ones; the order is only for people reading the manifests.
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { [Names.AppLabel] = app };
        if (type is not null) labels[Names.TypeLabel] = type;
        labels[Names.VersionLabel] = Names.Release(version);
        labels[Names.HeritageLabel] = Names.Heritage;
        labels[Names.NameLabel] = app;
        if (type is not null) labels[Names.ComponentLabel] = type;
        labels[Names.KubernetesVersionLabel] = Names.Release(version);
        labels[Names.ManagedByLabel] = Names.Heritage;
        labels[Names.PlatformLabel] = platform;
        return labels;
    }

    private static V1ObjectMeta Meta(string name, string app, IDictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = Names.Namespace(app), Labels = labels };
}
