using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>
/// One immutable version of an app's configuration: environment values now, limits and health
/// checks as they are added. Every change makes a new <see cref="Config"/> and a new release.
/// </summary>
public sealed partial class Config
{
    private Config() { Owner = ""; }

    private Config(Guid appId, string owner, Dictionary<string, string> values, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        AppId = appId;
        Owner = owner;
        Values = values;
        Created = Updated = now;
    }

    public Guid Id { get; private set; }
    public Guid AppId { get; private set; }
    public string Owner { get; private set; }
    public Dictionary<string, string> Values { get; private set; } = new(StringComparer.Ordinal);
    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    public static Config Initial(Guid appId, string owner, DateTimeOffset now) =>
        new(appId, owner, new Dictionary<string, string>(StringComparer.Ordinal), now);

    /// <summary>
    /// A new config with the given changes applied: a null value removes the key.
    /// Returns the new config and a human summary of what changed ("added A, changed B").
    /// </summary>
    public (Config Config, string Change) WithValues(IReadOnlyDictionary<string, string?> changes, string owner, DateTimeOffset now)
    {
        var values = new Dictionary<string, string>(Values, StringComparer.Ordinal);
        List<string> added = [], changed = [], removed = [];
        foreach (var (key, value) in changes)
        {
            ValidateKey(key);
            if (value is null)
            {
                if (!values.Remove(key))
                    throw new ValidationFailedException("values", $"Cannot unset {key}: it is not set.");
                removed.Add(key);
            }
            else if (values.TryGetValue(key, out var old))
            {
                if (old != value) changed.Add(key);
                values[key] = value;
            }
            else
            {
                values[key] = value;
                added.Add(key);
            }
        }
        var parts = new List<string>();
        if (added.Count > 0) parts.Add("added " + string.Join(", ", added));
        if (changed.Count > 0) parts.Add("changed " + string.Join(", ", changed));
        if (removed.Count > 0) parts.Add("removed " + string.Join(", ", removed));
        var summary = parts.Count == 0 ? "changed nothing" : string.Join(" and ", parts);
        return (new Config(AppId, owner, values, now), summary);
    }

    /// <summary>A copy for a rollback: same values, new identity.</summary>
    public Config Copy(string owner, DateTimeOffset now) =>
        new(AppId, owner, new Dictionary<string, string>(Values, StringComparer.Ordinal), now);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();

    /// <summary>Keys become environment variable names, so they must be valid ones.</summary>
    public static void ValidateKey(string key)
    {
        if (string.IsNullOrEmpty(key) || !EnvName().IsMatch(key))
            throw new ValidationFailedException("values",
                $"Config key '{key}' is not a valid environment variable name: use letters, digits and underscores, not starting with a digit.");
        if (key.StartsWith("PAAS_", StringComparison.Ordinal) || key is "PORT")
            throw new ValidationFailedException("values", $"Config key '{key}' is set by the platform and cannot be changed.");
    }
}
