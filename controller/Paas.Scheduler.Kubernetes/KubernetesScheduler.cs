using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// The Kubernetes backend. Each app is a namespace; each release a Secret with its config; each process type a
/// Deployment &lt;app&gt;-&lt;type&gt; that rolls over to a new release (old pods stop once new ones are ready);
/// web is reached through the Service &lt;app&gt;, a type the app's services route to through
/// &lt;app&gt;-&lt;type&gt;. The objects are computed by <see cref="AppManifests"/> and applied with server-side
/// apply under the field manager "paas", so applying a release again changes nothing, or puts back what someone
/// changed by hand (which is logged).
/// </summary>
public sealed class KubernetesScheduler : IScheduler
{
    private readonly KubernetesApi api;
    private readonly KubernetesSchedulerOptions options;
    private readonly ILogger<KubernetesScheduler> logger;
    private readonly AppNamespaces namespaces;
    private readonly Rollouts rollouts;
    private readonly PodLogs logs;
    private readonly OneOffPods oneOffs;

    public KubernetesScheduler(IKubernetes client, KubernetesSchedulerOptions options, ILogger<KubernetesScheduler> logger)
    {
        this.options = options;
        this.logger = logger;
        api = new KubernetesApi(client, options.CallTimeout);
        namespaces = new AppNamespaces(api, options.Platform);
        rollouts = new Rollouts(api, options);
        logs = new PodLogs(api);
        oneOffs = new OneOffPods(api, options, rollouts, logger);
    }

    public string Name => "kubernetes";

    public SchedulerFeatures Features { get; } = new(NodeSelection: true, Autoscaling: true, BalancedWebEndpoint: true);

    public async Task DeployAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        var objects = AppManifests.For(spec, options.Platform);
        try
        {
            await namespaces.EnsureAsync(spec.App, cancellationToken);
            var before = await ExistingAsync(spec.App, null, cancellationToken);
            foreach (var manifest in objects.All.Skip(1))
                Report(spec, before, await api.ApplyAsync(manifest, cancellationToken));
            // An autoscaler left behind would keep scaling a type whose count the formation now sets; a Service left
            // behind would keep a type no service routes to any more reachable.
            foreach (var stale in NotIn(before, V1HorizontalPodAutoscaler.KubeKind, objects.Autoscalers).Concat(NotIn(before, V1Service.KubeKind, objects.Services)))
                await api.DeleteAsync(stale.Kind, Names.Namespace(spec.App), stale.Name, cancellationToken);
            await rollouts.WaitAsync(spec.App, objects.Deployments.Select(d => d.Metadata.Name).ToList(), spec.Version, cancellationToken);
        }
        catch (KubernetesApiException e)
        {
            throw new DeploymentFailedException($"Kubernetes did not take {spec.App} v{spec.Version}: {e.Message}");
        }
    }

    /// <summary>
    /// Logs what applying changed. Applying the release that already runs should change nothing; when it did,
    /// someone changed the app by hand (deleted a Deployment, scaled it) and Paas put it back: that is worth a warning.
    /// </summary>
    private void Report(DeploymentSpec spec, IReadOnlyList<Existing> before, IKubernetesObject<V1ObjectMeta> after)
    {
        var what = KubernetesApi.Describe(after.Kind, after.Metadata.NamespaceProperty, after.Metadata.Name);
        var old = before.FirstOrDefault(o => o.Kind == after.Kind && o.Name == after.Metadata.Name);
        // The release's Secret was there: this release was applied before, so any change is drift.
        var sameRelease = before.Any(o => o.Kind == V1Secret.KubeKind && o.Name == Names.ReleaseSecret(spec.App, spec.Version));
        if (old is null)
        {
            if (sameRelease) logger.LogWarning("{What} of {App} v{Version} was missing (deleted by hand?); created it again", what, spec.App, spec.Version);
            else logger.LogDebug("Created {What}", what);
            return;
        }
        var changed = old.Generation is not null
            ? old.Generation != after.Metadata.Generation
            : old.ResourceVersion != after.Metadata.ResourceVersion;
        if (!changed) return;
        if (old.Version != spec.Version)
        {
            logger.LogDebug("Updated {What} from v{Old} to v{Version}", what, old.Version, spec.Version);
            return;
        }
        var replicas = after is V1Deployment deployment && old.Replicas != deployment.Spec.Replicas
            ? $" (replicas {old.Replicas} -> {deployment.Spec.Replicas})"
            : "";
        logger.LogWarning("{What} of {App} v{Version} had been changed outside Paas{Replicas}; put it back", what, spec.App, spec.Version, replicas);
    }

    /// <summary>The objects of <paramref name="kind"/> that existed and are not among <paramref name="wanted"/>.</summary>
    private static IEnumerable<Existing> NotIn(IReadOnlyList<Existing> existing, string kind, IEnumerable<IKubernetesObject<V1ObjectMeta>> wanted)
    {
        var names = wanted.Select(o => o.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        return existing.Where(o => o.Kind == kind && !names.Contains(o.Name));
    }

    /// <summary>An object Paas made, as it was before an apply or a retirement.</summary>
    private sealed record Existing(string Kind, string Name, int Version, long? Generation, string ResourceVersion, int? Replicas);

    /// <summary>Paas's objects in the app's namespace; with <paramref name="notVersion"/>, only those of other releases.</summary>
    private async Task<IReadOnlyList<Existing>> ExistingAsync(string app, int? notVersion, CancellationToken ct)
    {
        var ns = Names.Namespace(app);
        var selector = notVersion is { } v ? $"{Names.Everything},{Names.VersionLabel}!={Names.Release(v)}" : Names.Everything;
        var deployments = api.CallAsync($"list the Deployments of {app}", ct,
            () => api.Client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: selector, cancellationToken: ct));
        var secrets = api.CallAsync($"list the Secrets of {app}", ct,
            () => api.Client.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: selector, cancellationToken: ct));
        var services = api.CallAsync($"list the Services of {app}", ct,
            () => api.Client.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: selector, cancellationToken: ct));
        var autoscalers = api.CallAsync($"list the HorizontalPodAutoscalers of {app}", ct,
            () => api.Client.AutoscalingV1.ListNamespacedHorizontalPodAutoscalerAsync(ns, labelSelector: selector, cancellationToken: ct));
        await Task.WhenAll(deployments, secrets, services, autoscalers);
        static Existing Of(string kind, V1ObjectMeta m, long? generation, int? replicas = null) =>
            new(kind, m.Name, Names.VersionOf(m.Labels), generation, m.ResourceVersion, replicas);
        return (await deployments).Items.Select(d => Of(V1Deployment.KubeKind, d.Metadata, d.Metadata.Generation, d.Spec.Replicas))
            .Concat((await secrets).Items.Select(s => Of(V1Secret.KubeKind, s.Metadata, null)))
            .Concat((await services).Items.Select(s => Of(V1Service.KubeKind, s.Metadata, null)))
            .Concat((await autoscalers).Items.Select(a => Of(V1HorizontalPodAutoscaler.KubeKind, a.Metadata, a.Metadata.Generation)))
            .ToList();
    }

    /// <summary>
    /// Removes what belongs to other releases: their Secrets, and the Deployments, autoscalers and Service of
    /// process types the kept release does not have (the types it has were rolled over to it by the deploy).
    /// </summary>
    public async Task RetireAsync(string app, int keepVersion, CancellationToken cancellationToken)
    {
        var ns = Names.Namespace(app);
        try
        {
            var old = await ExistingAsync(app, keepVersion, cancellationToken);
            foreach (var o in old.OrderBy(o => o.Kind == V1Secret.KubeKind)) // what uses a Secret goes first
                await api.DeleteAsync(o.Kind, ns, o.Name, cancellationToken);
            if (old.Count > 0)
                logger.LogInformation("Removed {Objects} of {App}, not in v{Version}",
                    string.Join(", ", old.Select(o => $"{o.Kind} {o.Name}")), app, keepVersion);
        }
        catch (KubernetesApiException e)
        {
            throw e.Unavailable();
        }
    }

    public async Task DestroyAsync(string app, CancellationToken cancellationToken)
    {
        try
        {
            if (await namespaces.DeleteAsync(app, cancellationToken)) logger.LogInformation("Deleting namespace {Namespace} of {App}", Names.Namespace(app), app);
        }
        catch (KubernetesApiException e)
        {
            throw e.Unavailable();
        }
    }

    public async Task<IReadOnlyList<string>> AppsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await namespaces.AppsAsync(cancellationToken);
        }
        catch (KubernetesApiException e)
        {
            throw e.Unavailable();
        }
    }

    public async Task<IReadOnlyList<AppProcess>> ListAsync(string? app, CancellationToken cancellationToken)
    {
        try
        {
            var pods = await PodsAsync(app, cancellationToken);
            var endpoints = await EndpointsAsync(app, pods, cancellationToken);
            return pods.Select(p => PodProcesses.ToProcess(p, endpoints.GetValueOrDefault(EndpointKey(p))))
                .OfType<AppProcess>()
                .OrderBy(p => p.App, StringComparer.Ordinal).ThenBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal)
                .ToList();
        }
        catch (KubernetesApiException e)
        {
            throw e.Unavailable();
        }
    }

    private async Task<IList<V1Pod>> PodsAsync(string? app, CancellationToken ct) =>
        app is null
            ? (await api.CallAsync("list the pods of every app", ct,
                () => api.Client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: Names.ProcessesOf(options.Platform), cancellationToken: ct))).Items
            : (await api.CallAsync($"list the pods of {app}", ct,
                () => api.Client.CoreV1.ListNamespacedPodAsync(Names.Namespace(app), labelSelector: Names.Processes, cancellationToken: ct))).Items;

    /// <summary>
    /// Where the router reaches the processes of each app's web type and routed types: their type's Service, by
    /// ClusterIP or by DNS name. Keyed by <see cref="EndpointKey"/>.
    /// </summary>
    private async Task<Dictionary<string, string>> EndpointsAsync(string? app, IList<V1Pod> pods, CancellationToken ct)
    {
        if (pods.Count == 0) return [];
        if (options.ServiceAddress == ServiceAddress.Dns)
            return pods
                .Select(p => (App: Names.Label(p.Metadata.Labels, Names.AppLabel), Type: Names.Label(p.Metadata.Labels, Names.TypeLabel)))
                .Where(p => p.App is not null && p.Type is not null)
                .Select(p => (Namespace: Names.Namespace(p.App!), Service: Names.Service(p.App!, p.Type!)))
                .Distinct()
                .ToDictionary(s => $"{s.Namespace}/{s.Service}", s => $"{s.Service}.{s.Namespace}.svc.{options.ClusterDomain}:80", StringComparer.Ordinal);
        var services = app is null
            ? await api.CallAsync("list the Services of every app", ct,
                () => api.Client.CoreV1.ListServiceForAllNamespacesAsync(labelSelector: Names.EverythingOf(options.Platform), cancellationToken: ct))
            : await api.CallAsync($"list the Services of {app}", ct,
                () => api.Client.CoreV1.ListNamespacedServiceAsync(Names.Namespace(app), labelSelector: Names.Everything, cancellationToken: ct));
        return services.Items
            .Where(s => s.Spec?.ClusterIP is { Length: > 0 } ip && ip != "None")
            .ToDictionary(s => $"{s.Metadata.NamespaceProperty}/{s.Metadata.Name}", s => $"{s.Spec.ClusterIP}:80", StringComparer.Ordinal);
    }

    /// <summary>"namespace/service" of the Service in front of a pod's type. By ClusterIP, a type without a Service has no
    /// endpoint; by DNS every type gets its Service's name, and the route table uses only web's and the routed types'.</summary>
    private static string EndpointKey(V1Pod pod) =>
        Names.Label(pod.Metadata.Labels, Names.AppLabel) is { } app && Names.Label(pod.Metadata.Labels, Names.TypeLabel) is { } type
            ? $"{Names.Namespace(app)}/{Names.Service(app, type)}"
            : "";

    /// <summary>
    /// Types (or all) restart by rollout: the pod template gets a new restartedAt annotation, so new pods replace
    /// the old ones one by one, each ready before an old one stops. A single named process is deleted and its
    /// Deployment replaces it, unless it is its type's only one, which restarts by rollout so it keeps serving.
    /// </summary>
    public async Task<IReadOnlyList<AppProcess>> RestartAsync(DeploymentSpec spec, string? type, string? name, CancellationToken cancellationToken)
    {
        var ct = cancellationToken;
        var ns = Names.Namespace(spec.App);
        var byType = spec.Processes.ToDictionary(p => p.Type, StringComparer.Ordinal);
        try
        {
            var pods = await PodsAsync(spec.App, ct);
            var chosen = pods.Where(p => Names.VersionOf(p.Metadata.Labels) == spec.Version && p.Metadata.DeletionTimestamp is null)
                .Where(p => Names.Label(p.Metadata.Labels, Names.TypeLabel) is { } t && byType.ContainsKey(t) && (type is null || t == type))
                .Where(p => name is null || p.Metadata.Name == name)
                .ToList();
            if (chosen.Count == 0) return [];
            var types = chosen.Select(p => Names.Label(p.Metadata.Labels, Names.TypeLabel)!).Distinct().Order(StringComparer.Ordinal).ToList();
            var siblings = pods.Count(p => Names.Label(p.Metadata.Labels, Names.TypeLabel) == types[0] && p.Metadata.DeletionTimestamp is null);
            IReadOnlyList<AppProcess> restarted = name is not null && siblings > 1
                ? await ReplacePodAsync(spec, chosen[0], ct)
                : await RolloutRestartAsync(spec, types, ct);
            logger.LogInformation("Restarted {Count} process(es) of {App} v{Version}", restarted.Count, spec.App, spec.Version);
            return restarted;
        }
        catch (KubernetesApiException e)
        {
            throw new DeploymentFailedException($"Kubernetes did not restart processes of {spec.App}: {e.Message}");
        }
        async Task<IReadOnlyList<AppProcess>> RolloutRestartAsync(DeploymentSpec spec, List<string> types, CancellationToken ct)
        {
            var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            foreach (var t in types)
                await api.ApplyAsync(RestartPatch(spec.App, t, now), ct, Names.RestartFieldManager);
            var deployments = types.Select(t => Names.Deployment(spec.App, t)).ToList();
            await rollouts.WaitAsync(spec.App, deployments, spec.Version, ct);
            return (await ListAsync(spec.App, ct)).Where(p => types.Contains(p.Type) && p.State != ProcessState.Down).ToList();
        }
        async Task<IReadOnlyList<AppProcess>> ReplacePodAsync(DeploymentSpec spec, V1Pod pod, CancellationToken ct)
        {
            var t = Names.Label(pod.Metadata.Labels, Names.TypeLabel)!;
            var known = (await PodsAsync(spec.App, ct)).Select(p => p.Metadata.Name).ToHashSet(StringComparer.Ordinal);
            await api.DeleteAsync(V1Pod.KubeKind, ns, pod.Metadata.Name, ct);
            var deadline = DateTimeOffset.UtcNow + options.ReadyTimeout;
            while (true)
            {
                var fresh = (await ListAsync(spec.App, ct)).Where(p => p.Type == t && !known.Contains(p.Name)).ToList();
                if (fresh.Count > 0 && fresh.All(p => p.State == ProcessState.Up)) return fresh;
                if (DateTimeOffset.UtcNow > deadline)
                {
                    var stuck = (await PodsAsync(spec.App, ct)).First(p => !known.Contains(p.Metadata.Name) && Names.Label(p.Metadata.Labels, Names.TypeLabel) == t);
                    throw new DeploymentFailedException(await rollouts.DescribeAsync(stuck,
                        $"replacing {pod.Metadata.Name} did not become ready within {options.ReadyTimeout.TotalSeconds:0.#} s", ct));
                }
                await Task.Delay(options.PollInterval, ct);
            }
        }
    }

    /// <summary>Only the annotation, applied by a manager of its own: what `kubectl rollout restart` changes.</summary>
    internal static V1Deployment RestartPatch(string app, string type, string at) => new()
    {
        ApiVersion = "apps/v1",
        Kind = V1Deployment.KubeKind,
        Metadata = new V1ObjectMeta { Name = Names.Deployment(app, type), NamespaceProperty = Names.Namespace(app) },
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Annotations = new Dictionary<string, string> { [Names.RestartedAtAnnotation] = at } },
            },
        },
    };

    public async Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken cancellationToken)
    {
        try
        {
            await namespaces.EnsureAsync(spec.App, cancellationToken);
            return await oneOffs.RunAsync(spec, output, cancellationToken);
        }
        catch (KubernetesApiException e)
        {
            throw new DeploymentFailedException($"Kubernetes did not run the one-off process of {spec.App}: {e.Message}");
        }
    }

    public async IAsyncEnumerable<LogLine> LogsAsync(string app, int lines, bool follow,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var source = logs.ReadAsync(app, lines, follow, cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await source.MoveNextAsync()) yield break;
            }
            catch (KubernetesApiException e)
            {
                throw e.Unavailable();
            }
            yield return source.Current;
        }
    }
}
