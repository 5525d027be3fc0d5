using System.Net;

namespace Paas.Domain;

/// <summary>
/// How the router treats an app, changed without a release (Deis's app settings): maintenance mode,
/// whether it is routed at all, which clients may reach it, HTTPS enforcement, labels and autoscaling.
/// </summary>
public sealed class AppSettings
{
    private AppSettings() { Owner = ""; }

    public AppSettings(Guid appId, string owner, DateTimeOffset now)
    {
        AppId = appId;
        Id = Guid.NewGuid();
        Owner = owner;
        Created = Updated = now;
    }

    public Guid AppId { get; private set; }
    public Guid Id { get; private set; }
    public string Owner { get; private set; }
    public bool Maintenance { get; private set; }
    public bool Routable { get; private set; } = true;
    public bool HttpsEnforced { get; private set; }
    public List<string> Whitelist { get; private set; } = [];
    public Dictionary<string, string> Label { get; private set; } = new(StringComparer.Ordinal);
    public Dictionary<string, Autoscale> Autoscale { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Extra services (Deis's services): process type → the request paths routed to it rather than to web.</summary>
    public Dictionary<string, List<ServiceLocation>> Services { get; private set; } = new(StringComparer.Ordinal);
    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    public string SetMaintenance(bool on, string owner, DateTimeOffset now)
    {
        Maintenance = on;
        Touch(owner, now);
        return on ? "turned maintenance mode on" : "turned maintenance mode off";
    }

    public string SetRoutable(bool on, string owner, DateTimeOffset now)
    {
        Routable = on;
        Touch(owner, now);
        return on ? "enabled routing" : "disabled routing";
    }

    public string SetHttpsEnforced(bool on, string owner, DateTimeOffset now)
    {
        HttpsEnforced = on;
        Touch(owner, now);
        return on ? "enforced HTTPS" : "stopped enforcing HTTPS";
    }

    public string ChangeLabels(IReadOnlyDictionary<string, string?> changes, string owner, DateTimeOffset now)
    {
        foreach (var (key, value) in changes)
        {
            if (value is null) Label.Remove(key);
            else Label[key] = value;
        }
        Touch(owner, now);
        return $"changed labels {string.Join(", ", changes.Keys)}";
    }

    public string ChangeAutoscale(IReadOnlyDictionary<string, Autoscale?> changes, string owner, DateTimeOffset now)
    {
        foreach (var (type, rule) in changes)
        {
            Procfile.ValidateType(type);
            if (rule is null)
            {
                if (!Autoscale.Remove(type)) throw new ValidationFailedException("autoscale", $"{type} is not autoscaled.");
                continue;
            }
            rule.Validate(type);
            Autoscale[type] = rule;
        }
        Touch(owner, now);
        return $"changed autoscaling of {string.Join(", ", changes.Keys)}";
    }

    /// <summary>Routes the paths in <paramref name="pathPattern"/> (comma-separated, nginx-style) to process type <paramref name="type"/>.</summary>
    public string AddService(string? type, string? pathPattern, string owner, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(type))
            throw new ValidationFailedException("procfile_type", "Name the process type that handles the paths, e.g. --type webhooks.");
        if (!Procfile.IsValidType(type))
            throw new ValidationFailedException("procfile_type",
                $"Process type '{type}' is invalid: use a-z (lowercase), 0-9 and hyphens, at most 20 characters.");
        if (type == ProcessTypes.Web)
            throw new ValidationFailedException("procfile_type",
                "web already serves every path no service claims; give the service another process type of your Procfile, e.g. webhooks.");
        if (Services.TryGetValue(type, out var existing))
            throw new ConflictException(
                $"{type} already has a service, for {ServiceLocations.Format(existing)}. A process type has one service: remove it first (services:remove {type}), then add it with every path.");
        var locations = ServiceLocations.Parse(pathPattern);
        foreach (var (other, taken) in Services)
        {
            if (locations.FirstOrDefault(taken.Contains) is { } clash)
                throw new ValidationFailedException("path_pattern", $"'{ServiceLocations.Format(clash)}' already goes to the {other} service.");
        }
        Services[type] = [.. locations];
        Touch(owner, now);
        return $"added the {type} service for {ServiceLocations.Format(locations)}";
    }

    public string RemoveService(string? type, string owner, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(type))
            throw new ValidationFailedException("procfile_type", "Name the process type whose service to remove.");
        if (!Services.Remove(type))
            throw new NotFoundException("Service", Services.Count == 0
                ? $"This app has no services, so none for {type}."
                : $"This app has no service for {type}; it has services for {string.Join(", ", Services.Keys.Order(StringComparer.Ordinal))}.");
        Touch(owner, now);
        return $"removed the {type} service";
    }

    /// <summary>Adds addresses (IPv4/IPv6, with or without a /prefix) to the whitelist; returns the summary.</summary>
    public string AddToWhitelist(IEnumerable<string> addresses, string owner, DateTimeOffset now)
    {
        var added = new List<string>();
        foreach (var raw in addresses)
        {
            var address = NormaliseCidr(raw);
            if (Whitelist.Contains(address))
                throw new ValidationFailedException("addresses", $"{address} is already in the whitelist.");
            Whitelist.Add(address);
            added.Add(address);
        }
        if (added.Count == 0) throw new ValidationFailedException("addresses", "Give at least one address or CIDR, e.g. 10.0.0.0/8.");
        Touch(owner, now);
        return $"allowed {string.Join(", ", added)}";
    }

    public string RemoveFromWhitelist(IEnumerable<string> addresses, string owner, DateTimeOffset now)
    {
        var removed = new List<string>();
        foreach (var raw in addresses)
        {
            var address = NormaliseCidr(raw);
            if (!Whitelist.Remove(address))
                throw new ValidationFailedException("addresses", $"{address} is not in the whitelist of this app.");
            removed.Add(address);
        }
        if (removed.Count == 0) throw new ValidationFailedException("addresses", "Give at least one address or CIDR to remove.");
        Touch(owner, now);
        return $"stopped allowing {string.Join(", ", removed)}";
    }

    /// <summary>"10.0.0.1" → "10.0.0.1/32"; "10.1.2.3/8" stays as written (the router matches by prefix).</summary>
    public static string NormaliseCidr(string raw)
    {
        var text = raw.Trim();
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address))
            throw new ValidationFailedException("addresses", $"'{raw}' is not an IP address or CIDR (e.g. 192.168.1.0/24).");
        var max = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0 && (!int.TryParse(text[(slash + 1)..], out prefix) || prefix < 0 || prefix > max))
            throw new ValidationFailedException("addresses", $"'{raw}' has a prefix length outside 0-{max}.");
        return $"{address}/{prefix}";
    }

    private void Touch(string owner, DateTimeOffset now)
    {
        Owner = owner;
        Updated = now;
    }
}

/// <summary>CPU autoscaling of one process type (a HorizontalPodAutoscaler on Kubernetes).</summary>
public sealed record Autoscale(int Min, int Max, int CpuPercent)
{
    public void Validate(string type)
    {
        if (Min < 1 || Max < Min || Max > ProcessTypes.MaxScale)
            throw new ValidationFailedException("autoscale", $"Autoscaling {type} needs 1 <= min <= max <= {ProcessTypes.MaxScale}.");
        if (CpuPercent is < 1 or > 100)
            throw new ValidationFailedException("autoscale", $"The CPU target of {type} must be a percentage from 1 to 100.");
    }
}
