namespace Paas.Domain;

/// <summary>An image made from a push (or given by the user), with the process types it declares.</summary>
public sealed class Build
{
    private Build() { Owner = ""; Image = ""; Kind = ""; }

    public Build(Guid id, Guid appId, string owner, string image, string kind, string? sha,
        IReadOnlyDictionary<string, string> procfile, DateTimeOffset now,
        IReadOnlyDictionary<string, double>? phases = null, string? log = null)
    {
        Status = BuildStatus.Succeeded;
        Phases = new Dictionary<string, double>(phases ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        Log = log;
        Id = id;
        AppId = appId;
        Owner = owner;
        Image = image;
        Kind = kind;
        Sha = sha;
        Procfile = new Dictionary<string, string>(procfile, StringComparer.Ordinal);
        Created = Updated = now;
    }

    /// <summary>A push that made no image: kept so `paas builds:info` shows why, never released.</summary>
    public static Build Failed(Guid id, Guid appId, string owner, string kind, string? sha, string reason,
        IReadOnlyDictionary<string, double> phases, string? log, DateTimeOffset now) =>
        new(id, appId, owner, "", kind, sha, new Dictionary<string, string>(), now, phases, log)
        {
            Status = BuildStatus.Failed,
            Failure = reason,
        };

    /// <summary>Adds the controller's own phases (release, ready) once the build was released.</summary>
    public void RecordRelease(double releaseSeconds, double readySeconds, DateTimeOffset now)
    {
        Phases = new Dictionary<string, double>(Phases, StringComparer.Ordinal) { ["release"] = releaseSeconds, ["ready"] = readySeconds };
        Updated = now;
    }

    public Guid Id { get; private set; }
    public Guid AppId { get; private set; }
    public string Owner { get; private set; }
    public string Image { get; private set; }

    /// <summary>"dockerfile", "buildpack" or "image".</summary>
    public string Kind { get; private set; }

    public string? Sha { get; private set; }

    /// <summary>"succeeded" (an image was made) or "failed".</summary>
    public string Status { get; private set; } = BuildStatus.Succeeded;

    /// <summary>Why a failed build failed, as the pusher was told.</summary>
    public string? Failure { get; private set; }

    /// <summary>Seconds per phase: receive, compile, build, push (builder), release, ready (controller).</summary>
    public Dictionary<string, double> Phases { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Everything the pusher saw during the build.</summary>
    public string? Log { get; private set; }

    /// <summary>Process type to command. Empty for a Dockerfile app without a Procfile: `web` runs the image's CMD.</summary>
    public Dictionary<string, string> Procfile { get; private set; } = new(StringComparer.Ordinal);

    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    /// <summary>The process types this build can run.</summary>
    public IReadOnlyCollection<string> ProcessTypes =>
        Procfile.Count == 0 ? [Domain.ProcessTypes.Web] : Procfile.Keys;

    /// <summary>The command for a process type; null means "the image's own CMD".</summary>
    public string? CommandFor(string type) => Procfile.TryGetValue(type, out var command) ? command : null;

    /// <summary>How the build is named in release summaries: the short sha of a push, else the image.</summary>
    public string Label => Sha is { Length: >= 7 } ? Sha[..7] : Image;
}

public static class BuildStatus
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
