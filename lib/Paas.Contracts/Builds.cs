namespace Paas.Contracts;

/// <summary>
/// Published by the builder once an image for a push is in the registry. The controller answers
/// (request/response) with <see cref="ReleaseDeployed"/> or <see cref="ReleaseNotDeployed"/> after it
/// made the release and the new processes are ready, so the pusher sees the outcome in `git push`.
/// </summary>
/// <param name="BuildId">Unique per build; the controller treats a repeated id as the same build.</param>
/// <param name="Kind">"dockerfile", "buildpack" or "image".</param>
/// <param name="Procfile">Process types declared by the app (empty: the image's CMD is `web`).</param>
public sealed record BuildSucceeded(
    Guid BuildId,
    string App,
    string User,
    string? Sha,
    string Image,
    string Kind,
    IReadOnlyDictionary<string, string> Procfile,
    IReadOnlyDictionary<string, double> PhaseSeconds,
    string? Log = null);

/// <summary>Published by the builder when a push did not produce an image; nothing is released.</summary>
public sealed record BuildFailed(
    Guid BuildId,
    string App,
    string User,
    string? Sha,
    string Kind,
    string Reason,
    IReadOnlyDictionary<string, double> PhaseSeconds,
    string? Log = null);

/// <summary>The controller's answer to <see cref="BuildSucceeded"/>: release made and serving.</summary>
public sealed record ReleaseDeployed(Guid BuildId, string App, int Version, double ReleaseSeconds, double ReadySeconds);

/// <summary>The controller's answer to <see cref="BuildSucceeded"/> when no new release serves.</summary>
/// <param name="Version">The release that was made and failed, or null when none was made.</param>
public sealed record ReleaseNotDeployed(Guid BuildId, string App, int? Version, string Reason);

/// <summary>Published by the controller after an app is destroyed, so the builder drops its repository.</summary>
public sealed record AppDestroyed(string App);
