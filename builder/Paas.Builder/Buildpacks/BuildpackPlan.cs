namespace Paas.Builder.Buildpacks;

/// <summary>Where a buildpack comes from: shipped with the platform, a directory on the builder, or a git repository.</summary>
public abstract record BuildpackSource(string Name)
{
    public sealed record Shipped(string ShippedName) : BuildpackSource(ShippedName);

    public sealed record LocalPath(string Path) : BuildpackSource(Path);

    /// <param name="Ref">A branch, tag or commit after '#' in the URL; null for the default branch.</param>
    public sealed record Git(string Url, string? Ref) : BuildpackSource(Ref is null ? Url : $"{Url}#{Ref}");
}

/// <summary>
/// Which buildpacks a build runs. <see cref="Mode.Detect"/>: the first whose bin/detect accepts the app;
/// <see cref="Mode.All"/>: every one, in order (the app named them, so each must accept it).
/// </summary>
public sealed record BuildpackPlan(BuildpackPlan.Mode RunMode, IReadOnlyList<BuildpackSource> Buildpacks, string Reason)
{
    public enum Mode { Detect, All }

    /// <summary>The shipped buildpacks in detection order: language buildpacks before the static site and plain Procfile ones.</summary>
    public static readonly IReadOnlyList<string> ShippedOrder = ["python", "nodejs", "static", "procfile"];

    /// <summary>
    /// BUILDPACK_URL in the app's config wins, then a .buildpacks file in the pushed tree (one per line,
    /// '#' comments), else detection over the shipped buildpacks.
    /// </summary>
    public static BuildpackPlan For(string? buildpackUrl, string? buildpacksFile)
    {
        if (!string.IsNullOrWhiteSpace(buildpackUrl))
            return new BuildpackPlan(Mode.All, [Parse(buildpackUrl.Trim())], "BUILDPACK_URL");
        var listed = (buildpacksFile ?? "")
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(Parse)
            .ToList();
        if (listed.Count > 0) return new BuildpackPlan(Mode.All, listed, ".buildpacks");
        return new BuildpackPlan(Mode.Detect, [.. ShippedOrder.Select(name => new BuildpackSource.Shipped(name))], "detection");
    }

    /// <summary>
    /// A shipped name ("python", also as Heroku names it: "heroku/python"), an absolute path on the
    /// builder, or a git URL with an optional "#ref".
    /// </summary>
    public static BuildpackSource Parse(string text)
    {
        var shipped = text.StartsWith("heroku/", StringComparison.Ordinal) ? text["heroku/".Length..] : text;
        if (shipped == "node") shipped = "nodejs";
        if (ShippedOrder.Contains(shipped)) return new BuildpackSource.Shipped(shipped);
        if (text.StartsWith('/')) return new BuildpackSource.LocalPath(text);
        if (text.Contains("://", StringComparison.Ordinal) || text.StartsWith("git@", StringComparison.Ordinal) || text.EndsWith(".git", StringComparison.Ordinal))
        {
            var hash = text.IndexOf('#', StringComparison.Ordinal);
            return hash < 0 ? new BuildpackSource.Git(text, null) : new BuildpackSource.Git(text[..hash], text[(hash + 1)..] is { Length: > 0 } r ? r : null);
        }
        throw new Builds.BuildFailedException(
            $"Buildpack '{text}' is neither a shipped one ({string.Join(", ", ShippedOrder)}), an absolute path on the builder nor a git URL.");
    }
}
