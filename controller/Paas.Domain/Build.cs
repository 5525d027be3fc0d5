namespace Paas.Domain;

/// <summary>An image made from a push (or given by the user), with the process types it declares.</summary>
public sealed class Build
{
    private Build() { Owner = ""; Image = ""; Kind = ""; }

    public Build(Guid id, Guid appId, string owner, string image, string kind, string? sha,
        IReadOnlyDictionary<string, string> procfile, DateTimeOffset now)
    {
        Id = id;
        AppId = appId;
        Owner = owner;
        Image = image;
        Kind = kind;
        Sha = sha;
        Procfile = new Dictionary<string, string>(procfile, StringComparer.Ordinal);
        Created = Updated = now;
    }

    public Guid Id { get; private set; }
    public Guid AppId { get; private set; }
    public string Owner { get; private set; }
    public string Image { get; private set; }

    /// <summary>"dockerfile", "buildpack" or "image".</summary>
    public string Kind { get; private set; }

    public string? Sha { get; private set; }

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
