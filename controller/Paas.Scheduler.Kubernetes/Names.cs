using System.Globalization;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// The names and labels Paas gives Kubernetes objects. Deis Workflow's scheme (namespace = app, Deployment
/// &lt;app&gt;-&lt;type&gt;, labels app/type/version/heritage), so operators who knew Deis find their way, plus the
/// app.kubernetes.io labels tools such as dashboards group by.
/// </summary>
public static class Names
{
    public const string FieldManager = "paas";

    /// <summary>Restarts are applied by a manager of their own, so a later deploy (manager paas) leaves the annotation alone.</summary>
    public const string RestartFieldManager = "paas-restart";

    public const string AppLabel = "app";
    public const string TypeLabel = "type";
    public const string VersionLabel = "version";
    public const string HeritageLabel = "heritage";
    public const string Heritage = "paas";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string NameLabel = "app.kubernetes.io/name";
    public const string ComponentLabel = "app.kubernetes.io/component";
    public const string KubernetesVersionLabel = "app.kubernetes.io/version";

    /// <summary>
    /// Which Paas platform made the object: several may share a cluster (a test platform next to a real one), and
    /// each must neither list nor remove the others' apps. PAAS_K8S_PLATFORM, "paas" by default.
    /// </summary>
    public const string PlatformLabel = "paas/platform";

    public const string DefaultPlatform = "paas";

    /// <summary>Marks one-off pods (`paas run`), which are never app processes.</summary>
    public const string OneOffLabel = "paas/one-off";

    public const string OneOffType = "run";

    /// <summary>The annotation `kubectl rollout restart` sets; operators recognise it.</summary>
    public const string RestartedAtAnnotation = "kubectl.kubernetes.io/restartedAt";

    /// <summary>The host names that reach the app, on its Service (Deis kept them there for its router).</summary>
    public const string DomainsAnnotation = "paas/domains";

    /// <summary>Everything Paas made in an app's namespace (which is the platform's own).</summary>
    public const string Everything = HeritageLabel + "=" + Heritage;

    /// <summary>An app's processes: the pods of its namespace, except one-offs.</summary>
    public const string Processes = Everything + ",!" + OneOffLabel;

    /// <summary>Everything this platform made, in any namespace.</summary>
    public static string EverythingOf(string platform) => $"{Everything},{PlatformLabel}={platform}";

    /// <summary>The processes of every app of this platform.</summary>
    public static string ProcessesOf(string platform) => $"{EverythingOf(platform)},!{OneOffLabel}";

    public static string Namespace(string app) => app;

    public static string Deployment(string app, string type) => $"{app}-{type}";

    public static string Service(string app) => app;

    /// <summary>web's Service is the app's name; a routed type's is &lt;app&gt;-&lt;type&gt;.</summary>
    public static string Service(string app, string type) => type == Paas.Domain.ProcessTypes.Web ? Service(app) : $"{app}-{type}";

    public static string Autoscaler(string app, string type) => $"{app}-{type}";

    /// <summary>A release's config as environment (Deis: &lt;app&gt;-v&lt;N&gt;-env).</summary>
    public static string ReleaseSecret(string app, int version) => $"{app}-v{Version(version)}-env";

    public static string RegistrySecret(string app) => $"{app}-registry";

    public static string Release(int version) => "v" + Version(version);

    /// <summary>"v12" → 12; 0 when the label is missing or not a release.</summary>
    public static int VersionOf(IDictionary<string, string>? labels) =>
        labels is not null && labels.TryGetValue(VersionLabel, out var text) && text.StartsWith('v')
        && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : 0;

    public static string? Label(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) ? value : null;

    private static string Version(int version) => version.ToString(CultureInfo.InvariantCulture);
}
