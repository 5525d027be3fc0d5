using System.Text.Json;
using System.Text.RegularExpressions;
using Paas.Contracts;

namespace Paas.Router;

/// <summary>
/// Chooses which of an app's process types serves a request path, as nginx chooses a location (Deis's router wrote
/// services as nginx locations): an exact match ("= /p") wins; otherwise the longest matching prefix, unless a regex
/// ("~ re", "~* re", in the order given) matches and that prefix is not a "^~" one. Web holds the prefix "/", so
/// paths no service claims stay with web.
/// </summary>
public sealed class ServicePaths
{
    /// <summary>What the route's metadata carries for one service: its cluster and its locations.</summary>
    public sealed record Entry(string Type, string Cluster, IReadOnlyList<RouteLocation> Locations);

    private sealed record Compiled(Entry Service, string Kind, string Value, Regex? Regex);

    private readonly List<Compiled> _exact = [];
    private readonly List<Compiled> _prefixes = [];
    private readonly List<Compiled> _regexes = [];

    private ServicePaths(IEnumerable<Entry> services)
    {
        foreach (var service in services)
        {
            foreach (var location in service.Locations)
            {
                switch (location.Kind)
                {
                    case "exact":
                        _exact.Add(new Compiled(service, location.Kind, location.Value, null));
                        break;
                    case "prefix" or "preferred-prefix":
                        _prefixes.Add(new Compiled(service, location.Kind, location.Value, null));
                        break;
                    case "regex" or "regex-ignore-case":
                        // The controller validated the expression; one that still fails to compile matches nothing.
                        try
                        {
                            var options = RegexOptions.CultureInvariant | (location.Kind == "regex-ignore-case" ? RegexOptions.IgnoreCase : 0);
                            _regexes.Add(new Compiled(service, location.Kind, location.Value, new Regex(location.Value, options, TimeSpan.FromMilliseconds(50))));
                        }
                        catch (ArgumentException)
                        {
                        }
                        break;
                }
            }
        }
    }

    public static string Serialize(IEnumerable<Entry> services) => JsonSerializer.Serialize(services, PaasJson.Options);

    public static ServicePaths Parse(string json) => new(JsonSerializer.Deserialize<List<Entry>>(json, PaasJson.Options) ?? []);

    /// <summary>The service that serves <paramref name="path"/>, or null for web.</summary>
    public Entry? Select(string path)
    {
        foreach (var exact in _exact)
        {
            if (string.Equals(exact.Value, path, StringComparison.Ordinal)) return exact.Service;
        }

        Compiled? longest = null;
        foreach (var prefix in _prefixes)
        {
            if (path.StartsWith(prefix.Value, StringComparison.Ordinal) && prefix.Value.Length > (longest?.Value.Length ?? 0))
                longest = prefix;
        }
        if (longest?.Kind == "preferred-prefix") return longest.Service;

        foreach (var regex in _regexes)
        {
            try
            {
                if (regex.Regex!.IsMatch(path)) return regex.Service;
            }
            catch (RegexMatchTimeoutException)
            {
                // An expression too slow for this path does not match it.
            }
        }
        return longest?.Service;
    }
}
