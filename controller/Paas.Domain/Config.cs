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

    /// <summary>Process type to memory limit as the user wrote it ("256M").</summary>
    public Dictionary<string, string> Memory { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Process type to CPU limit as the user wrote it ("500m").</summary>
    public Dictionary<string, string> Cpu { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Node selection labels (Kubernetes node selectors).</summary>
    public Dictionary<string, string> Tags { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Credentials for pulling the app's image from a private registry (username, password, ...).</summary>
    public Dictionary<string, string> Registry { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Health checks per process type. The key "web/cmd" (Deis's default) applies to web;
    /// a key naming a type applies to that type and wins over "web/cmd".
    /// </summary>
    public Dictionary<string, Healthcheck> Healthchecks { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Seconds between SIGTERM and SIGKILL per process type.</summary>
    public Dictionary<string, int> TerminationGracePeriod { get; private set; } = new(StringComparer.Ordinal);

    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    public static Config Initial(Guid appId, string owner, DateTimeOffset now) =>
        new(appId, owner, new Dictionary<string, string>(StringComparer.Ordinal), now);

    /// <summary>A new config with the given values changed (null removes a key), and a summary of the change.</summary>
    public (Config Config, string Change) WithValues(IReadOnlyDictionary<string, string?> changes, string owner, DateTimeOffset now) =>
        Apply(new ConfigChange(Values: changes), owner, now);

    /// <summary>
    /// A new config with <paramref name="change"/> applied, and a human summary of what changed
    /// ("added GREETING and changed limits for web"). Invalid input throws before anything changes.
    /// </summary>
    public (Config Config, string Change) Apply(ConfigChange change, string owner, DateTimeOffset now)
    {
        if (change.IsEmpty)
            throw new ValidationFailedException("non_field_errors",
                "Nothing to change: send values, memory, cpu, tags, registry, healthcheck or termination_grace_period.");
        var next = new Config(AppId, owner, new Dictionary<string, string>(Values, StringComparer.Ordinal), now)
        {
            Memory = new(Memory, StringComparer.Ordinal),
            Cpu = new(Cpu, StringComparer.Ordinal),
            Tags = new(Tags, StringComparer.Ordinal),
            Registry = new(Registry, StringComparer.Ordinal),
            Healthchecks = new(Healthchecks, StringComparer.Ordinal),
            TerminationGracePeriod = new(TerminationGracePeriod, StringComparer.Ordinal),
        };
        var parts = new List<string>();
        if (change.Values is { } values) parts.AddRange(ChangeValues(next.Values, values));
        if (change.Memory is { } memory)
            parts.Add(ChangeMap(next.Memory, memory, "memory limit", type => Procfile.ValidateType(TypeOf(type)), value => Limits.MemoryBytes(value)));
        if (change.Cpu is { } cpu)
            parts.Add(ChangeMap(next.Cpu, cpu, "CPU limit", type => Procfile.ValidateType(TypeOf(type)), value => Limits.CpuMillis(value)));
        if (change.Tags is { } tags)
            parts.Add(ChangeMap(next.Tags, tags, "tags", ValidateTag, ValidateTag));
        if (change.Registry is { } registry)
            parts.Add(ChangeMap(next.Registry, registry, "registry settings", _ => { }, _ => { }));
        if (change.TerminationGracePeriod is { } grace)
        {
            foreach (var (type, seconds) in grace)
                if (seconds is < 0 or > 3600)
                    throw new ValidationFailedException("termination_grace_period", $"A grace period of {seconds} s for {type} is out of range (0-3600).");
            var asText = grace.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var text = next.TerminationGracePeriod.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
            parts.Add(ChangeMap(text, asText, "termination grace period", type => Procfile.ValidateType(TypeOf(type)), _ => { }));
            next.TerminationGracePeriod = text.ToDictionary(kv => kv.Key, kv => int.Parse(kv.Value, System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }
        if (change.Healthcheck is { } checks) parts.AddRange(ChangeHealthchecks(next.Healthchecks, checks));
        var summary = parts.Count == 0 ? "changed nothing" : string.Join(" and ", parts);
        return (next, summary);
    }

    /// <summary>The checks that apply to a process type.</summary>
    public Healthcheck? HealthcheckFor(string type) =>
        Healthchecks.TryGetValue(type, out var own) ? own
        : type == ProcessTypes.Web && Healthchecks.TryGetValue(WebOrCmd, out var web) ? web
        : null;

    /// <summary>Deis's key for "the web process" (Dockerfile apps called it cmd).</summary>
    public const string WebOrCmd = "web/cmd";

    private static string TypeOf(string key) => key == WebOrCmd ? ProcessTypes.Web : key;

    private static IEnumerable<string> ChangeValues(Dictionary<string, string> values, IReadOnlyDictionary<string, string?> changes)
    {
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
        if (added.Count > 0) yield return "added " + string.Join(", ", added);
        if (changed.Count > 0) yield return "changed " + string.Join(", ", changed);
        if (removed.Count > 0) yield return "removed " + string.Join(", ", removed);
    }

    private static string ChangeMap<T>(Dictionary<string, T> map, IReadOnlyDictionary<string, T?> changes, string what,
        Action<string> validateKey, Action<T> validateValue)
    {
        var set = new List<string>();
        var unset = new List<string>();
        foreach (var (key, value) in changes)
        {
            validateKey(key);
            if (value is null)
            {
                if (!map.Remove(key)) throw new ValidationFailedException(what, $"Cannot unset the {what} of {key}: it is not set.");
                unset.Add(key);
            }
            else
            {
                validateValue(value);
                map[key] = value;
                set.Add($"{key}={value}");
            }
        }
        var parts = new List<string>();
        if (set.Count > 0) parts.Add($"set {what} {string.Join(", ", set)}");
        if (unset.Count > 0) parts.Add($"unset {what} of {string.Join(", ", unset)}");
        return string.Join(" and ", parts);
    }

    private static IEnumerable<string> ChangeHealthchecks(Dictionary<string, Healthcheck> checks, IReadOnlyDictionary<string, HealthcheckChange?> changes)
    {
        foreach (var (key, change) in changes)
        {
            Procfile.ValidateType(TypeOf(key));
            var current = checks.GetValueOrDefault(key) ?? new Healthcheck(null, null);
            if (change is null)
            {
                if (!checks.Remove(key)) throw new ValidationFailedException("healthcheck", $"{key} has no health checks to remove.");
                yield return $"removed the health checks of {key}";
                continue;
            }
            change.Liveness?.Validate($"liveness check of {key}");
            change.Readiness?.Validate($"readiness check of {key}");
            if (change.UnsetLiveness && current.Liveness is null)
                throw new ValidationFailedException("healthcheck", $"{key} has no liveness check to remove.");
            if (change.UnsetReadiness && current.Readiness is null)
                throw new ValidationFailedException("healthcheck", $"{key} has no readiness check to remove.");
            var next = new Healthcheck(
                change.UnsetLiveness ? null : change.Liveness ?? current.Liveness,
                change.UnsetReadiness ? null : change.Readiness ?? current.Readiness);
            if (next.Liveness is null && next.Readiness is null) checks.Remove(key);
            else checks[key] = next;
            if (change.Liveness is not null) yield return $"set the liveness check of {key}";
            if (change.Readiness is not null) yield return $"set the readiness check of {key}";
            if (change.UnsetLiveness) yield return $"removed the liveness check of {key}";
            if (change.UnsetReadiness) yield return $"removed the readiness check of {key}";
        }
    }

    private static void ValidateTag(string text)
    {
        if (text.Length is 0 or > 63 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/'))
            throw new ValidationFailedException("tags", $"Tag '{text}' is not a valid label: up to 63 letters, digits, '-', '_', '.' or '/'.");
    }

    /// <summary>A copy for a rollback: the same settings, a new identity.</summary>
    public Config Copy(string owner, DateTimeOffset now) =>
        new(AppId, owner, new Dictionary<string, string>(Values, StringComparer.Ordinal), now)
        {
            Memory = new(Memory, StringComparer.Ordinal),
            Cpu = new(Cpu, StringComparer.Ordinal),
            Tags = new(Tags, StringComparer.Ordinal),
            Registry = new(Registry, StringComparer.Ordinal),
            Healthchecks = new(Healthchecks, StringComparer.Ordinal),
            TerminationGracePeriod = new(TerminationGracePeriod, StringComparer.Ordinal),
        };

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
