namespace Paas.Domain;

/// <summary>
/// An immutable pairing of a build and a config, numbered v1, v2, ... per app without gaps.
/// A rollback is a new release that copies an older one's build and config.
/// </summary>
public sealed class Release
{
    private Release() { Owner = ""; Summary = ""; }

    private Release(Guid appId, int version, Guid? buildId, Guid configId, string owner, string summary, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        AppId = appId;
        Version = version;
        BuildId = buildId;
        ConfigId = configId;
        Owner = owner;
        Summary = summary;
        State = ReleaseState.Pending;
        Created = Updated = now;
    }

    public Guid Id { get; private set; }
    public Guid AppId { get; private set; }
    public int Version { get; private set; }
    public Guid? BuildId { get; private set; }
    public Guid ConfigId { get; private set; }
    public string Owner { get; private set; }
    public string Summary { get; private set; }
    public ReleaseState State { get; private set; }

    /// <summary>Why the release did not go live, when it failed.</summary>
    public string? Failure { get; private set; }

    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    public bool Failed => State == ReleaseState.Failed;

    public static Release First(Guid appId, Config config, string owner, DateTimeOffset now) =>
        new(appId, 1, null, config.Id, owner, $"{owner} created initial release", now);

    /// <param name="latest">The app's newest release, whatever its state: versions never repeat or skip.</param>
    public static Release Next(Release latest, Build? build, Config config, string owner, string summary, DateTimeOffset now) =>
        new(latest.AppId, latest.Version + 1, build?.Id, config.Id, owner, summary, now);

    public void MarkSucceeded(DateTimeOffset now)
    {
        State = ReleaseState.Succeeded;
        Failure = null;
        Updated = now;
    }

    public void MarkFailed(string reason, DateTimeOffset now)
    {
        State = ReleaseState.Failed;
        Failure = reason;
        Updated = now;
    }

    /// <summary>A new release that brings back <paramref name="target"/>'s build and config.</summary>
    public static Release RollbackTo(Release latest, Release target, string owner, DateTimeOffset now)
    {
        if (target.Failed)
            throw new ValidationFailedException("version", $"v{target.Version} failed to deploy; roll back to a release that ran.");
        if (target.BuildId is null)
            throw new ValidationFailedException("version", $"v{target.Version} has no build to run; roll back to a release made by a push or a build.");
        return new Release(latest.AppId, latest.Version + 1, target.BuildId, target.ConfigId, owner, RollbackSummary(owner, target.Version), now);
    }

    public static string DeployedSummary(string owner, Build build) => $"{owner} deployed {build.Label}";

    public static string ConfigSummary(string owner, string change) => $"{owner} {change}";

    public static string RollbackSummary(string owner, int version) => $"{owner} rolled back to v{version}";
}

public enum ReleaseState
{
    /// <summary>Made, not yet live.</summary>
    Pending,
    /// <summary>Its processes came up; the newest succeeded release is the one serving.</summary>
    Succeeded,
    /// <summary>Its processes never became ready; the previous release kept serving.</summary>
    Failed,
}
