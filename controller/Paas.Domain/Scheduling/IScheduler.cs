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

    /// <summary>The processes of one app, or of every app when <paramref name="app"/> is null.</summary>
    Task<IReadOnlyList<AppProcess>> ListAsync(string? app, CancellationToken cancellationToken);
}

/// <summary>What should run for one release of an app.</summary>
/// <param name="Environment">The app's config plus what the platform sets (PORT).</param>
public sealed record DeploymentSpec(
    string App,
    int Version,
    string Image,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<ProcessSpec> Processes)
{
    /// <summary>The port web processes listen on, passed as $PORT.</summary>
    public const int WebPort = 5000;
}

/// <param name="Command">Shell command from the Procfile; null runs the image's own CMD.</param>
public sealed record ProcessSpec(string Type, string? Command, int Replicas);

/// <summary>One running (or failing) process of an app.</summary>
/// <param name="Name">"&lt;app&gt;-&lt;type&gt;-&lt;suffix&gt;", unique on the backend.</param>
/// <param name="Endpoint">"host:port" where a web process answers, as reachable by the router.</param>
public sealed record AppProcess(
    string App,
    string Type,
    string Name,
    int Version,
    ProcessState State,
    DateTimeOffset Started,
    string? Endpoint);

public enum ProcessState
{
    Starting,
    Up,
    Crashed,
    Down,
}

public sealed class DeploymentFailedException(string message) : Exception(message);
