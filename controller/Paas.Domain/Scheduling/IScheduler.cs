namespace Paas.Domain.Scheduling;

/// <summary>
/// Where app processes run, phrased in PaaS terms. One implementation per backend: the single-host
/// Docker engine (default) and Kubernetes. Every operation is idempotent: applying the same spec twice
/// changes nothing the second time.
/// </summary>
public interface IScheduler
{
    /// <summary>Short name shown to users ("docker", "kubernetes").</summary>
    string Name { get; }

    /// <summary>
    /// Brings the release's processes to the formation in <paramref name="spec"/> and returns once they
    /// are ready (web: accepting connections). Processes of other releases keep running until
    /// <see cref="RetireAsync"/>, so the previous release serves until the route switches.
    /// Throws <see cref="DeploymentFailedException"/> when the processes do not become ready.
    /// </summary>
    Task DeployAsync(DeploymentSpec spec, CancellationToken cancellationToken);

    /// <summary>Stops every process of the app that does not belong to release <paramref name="keepVersion"/>.</summary>
    Task RetireAsync(string app, int keepVersion, CancellationToken cancellationToken);

    /// <summary>Stops and removes everything the app runs.</summary>
    Task DestroyAsync(string app, CancellationToken cancellationToken);

    /// <summary>
    /// The apps that have anything on the backend, for the reconciler to remove those that no longer exist. By
    /// default the apps with processes; a backend that keeps more per app (a namespace) lists those too.
    /// </summary>
    async Task<IReadOnlyList<string>> AppsAsync(CancellationToken cancellationToken) =>
        (await ListAsync(null, cancellationToken)).Select(p => p.App).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The processes of one app, or of every app when <paramref name="app"/> is null.</summary>
    Task<IReadOnlyList<AppProcess>> ListAsync(string? app, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces processes of the release in <paramref name="spec"/> with fresh ones: all of them, those of
    /// <paramref name="type"/>, or the one called <paramref name="name"/>. Web keeps serving: each new
    /// process is ready before the one it replaces stops. Returns the new processes; none when nothing matched.
    /// </summary>
    Task<IReadOnlyList<AppProcess>> RestartAsync(DeploymentSpec spec, string? type, string? name, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a one-off process from the release's image with its config, passing its output (stdout and
    /// stderr together) to <paramref name="output"/> as it comes, and returns its exit code. The process is
    /// removed afterwards, also when <paramref name="cancellationToken"/> fires.
    /// </summary>
    Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken cancellationToken);

    /// <summary>
    /// The output of the app's processes, interleaved by time: the last <paramref name="lines"/> lines,
    /// then, with <paramref name="follow"/>, new lines as they are written until cancelled.
    /// </summary>
    IAsyncEnumerable<LogLine> LogsAsync(string app, int lines, bool follow, CancellationToken cancellationToken);

    /// <summary>What this backend does with settings that not every backend supports.</summary>
    SchedulerFeatures Features { get; }
}

/// <param name="NodeSelection">Tags become node selectors.</param>
/// <param name="Autoscaling">CPU autoscaling (autoscale:set) is available.</param>
/// <param name="BalancedWebEndpoint">Every ready web process of an app reports the same endpoint, one address that
/// balances between them whatever release they run (a Kubernetes Service). The backend, not the route table, then
/// decides which processes get traffic: during a rolling update old and new ones serve side by side.</param>
public sealed record SchedulerFeatures(bool NodeSelection, bool Autoscaling, bool BalancedWebEndpoint = false);

/// <summary>A one-off process (`paas run`): the release's image and config, another command.</summary>
public sealed record OneOffSpec(
    string App,
    int Version,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    string Command,
    ResourceLimits? Limits = null,
    TimeSpan? Timeout = null,
    RegistryCredentials? PullCredentials = null);

/// <summary>The login for pulling an app's image from a private registry (`paas registry:set username=... password=...`).</summary>
public sealed record RegistryCredentials(string Username, string Password)
{
    /// <summary>From the app's config.registry (Deis's keys "username" and "password"); null unless both are set.</summary>
    public static RegistryCredentials? From(IReadOnlyDictionary<string, string> registry) =>
        registry.TryGetValue("username", out var user) && registry.TryGetValue("password", out var password) && user.Length > 0
            ? new RegistryCredentials(user, password)
            : null;

    public override string ToString() => $"RegistryCredentials {{ Username = {Username} }}";
}

/// <summary>One line a process wrote. <paramref name="Source"/> is the process name.</summary>
public sealed record LogLine(DateTimeOffset Time, string Source, string Text);

/// <summary>What should run for one release of an app.</summary>
/// <param name="Environment">The app's config plus what the platform sets (PORT).</param>
/// <param name="Tags">Node selection (Kubernetes node selectors); a single host ignores them.</param>
/// <param name="PullCredentials">For an image in a private registry.</param>
/// <param name="Domains">The host names that reach the app, for backends that record them with the app's service.</param>
/// <param name="RoutedTypes">Process types other than web that the router sends requests to (the app's services): their
/// processes listen on $PORT and need an endpoint as web's do.</param>
public sealed record DeploymentSpec(
    string App,
    int Version,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ProcessSpec> Processes,
    IReadOnlyDictionary<string, string>? Tags = null,
    RegistryCredentials? PullCredentials = null,
    IReadOnlyList<string>? Domains = null,
    IReadOnlyList<string>? RoutedTypes = null)
{
    /// <summary>The port web processes listen on, passed as $PORT.</summary>
    public const int WebPort = 5000;
}

/// <param name="Command">Shell command from the Procfile; null runs the image's own CMD.</param>
/// <param name="Healthcheck">Readiness decides when a process gets traffic and counts as deployed; liveness restarts it.
/// Without a readiness check, web is ready when its port accepts a connection.</param>
/// <param name="TerminationGraceSeconds">Between SIGTERM and SIGKILL when the process stops.</param>
/// <param name="Autoscale">CPU autoscaling between a minimum and a maximum; the backend then owns the count and
/// <paramref name="Replicas"/> is ignored. Only for backends whose <see cref="SchedulerFeatures.Autoscaling"/> is true.</param>
public sealed record ProcessSpec(
    string Type,
    string? Command,
    int Replicas,
    ResourceLimits? Limits = null,
    Healthcheck? Healthcheck = null,
    int? TerminationGraceSeconds = null,
    Autoscale? Autoscale = null);

/// <summary>One running (or failing) process of an app.</summary>
/// <param name="Name">"&lt;app&gt;-&lt;type&gt;-&lt;suffix&gt;", unique on the backend.</param>
/// <param name="Endpoint">"host:port" where a web process (or a routed one, see <see cref="DeploymentSpec.RoutedTypes"/>)
/// answers, as reachable by the router.</param>
/// <param name="Restarts">How many times the process was restarted after it crashed or failed its liveness check.</param>
public sealed record AppProcess(
    string App,
    string Type,
    string Name,
    int Version,
    ProcessState State,
    DateTimeOffset Started,
    string? Endpoint,
    int Restarts = 0);

public enum ProcessState
{
    Starting,
    Up,
    Crashed,
    Down,
}

public sealed class DeploymentFailedException(string message) : Exception(message);

/// <summary>
/// The backend could not be reached, or refused the platform's own request (e.g. its Kubernetes account lacks a
/// permission): an operator's problem rather than the app's. The message says what was asked and what answered.
/// </summary>
public sealed class SchedulerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
