using Paas.Contracts;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Paas.Router;

/// <summary>The YARP configuration for one route table.</summary>
public sealed record ProxyRoutes(IReadOnlyList<RouteConfig> Routes, IReadOnlyList<ClusterConfig> Clusters);

/// <summary>Names of the route metadata that <see cref="AccessRules"/> reads.</summary>
public static class RouteMetadata
{
    public const string App = "App";
    public const string Maintenance = "Maintenance";

    /// <summary>The app's whitelist entries, comma-separated, as the controller sent them.</summary>
    public const string Whitelist = "Whitelist";

    /// <summary>"true" when plain HTTP requests are redirected to HTTPS.</summary>
    public const string HttpsEnforced = "HttpsEnforced";

    /// <summary>The app's services (<see cref="ServicePaths.Entry"/> as JSON): which paths go to which cluster.</summary>
    public const string Services = "Services";
}

/// <summary>
/// Turns the controller's route table into YARP routes and clusters: one route and one cluster per app, both
/// named after it, and a cluster "app/type" for each of its services, which <see cref="AccessRules"/> sends the
/// service's paths to. A pure function, so its output is pinned by golden files.
/// </summary>
public static class RouteTableConverter
{
    public static ProxyRoutes Convert(RouteTable table)
    {
        var routes = new List<RouteConfig>();
        var clusters = new List<ClusterConfig>();
        var apps = new HashSet<string>(StringComparer.Ordinal);
        // A host claimed twice would make YARP's matching ambiguous (a 500 for that host); the first app keeps it.
        var claimedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        foreach (var app in table.Apps)
        {
            if (string.IsNullOrWhiteSpace(app.App) || !apps.Add(app.App))
            {
                continue;
            }

            var hosts = new List<string>();
            foreach (var host in app.Hosts)
            {
                var name = host.Trim().ToLowerInvariant();
                if (name.Length > 0 && claimedHosts.Add(name))
                {
                    hosts.Add(name);
                }
            }

            // A route without hosts would match every host, so an app that has none gets no route.
            if (hosts.Count == 0)
            {
                continue;
            }

            clusters.Add(new ClusterConfig
            {
                ClusterId = app.App,
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                // An app with no web process keeps an empty cluster, so AccessRules can answer for it.
                Destinations = Destinations(app.Backends),
            });
            var services = new List<ServicePaths.Entry>();
            foreach (var service in app.Services ?? [])
            {
                if (string.IsNullOrWhiteSpace(service.Type) || service.Type == "web" || service.Locations.Count == 0
                    || services.Any(s => s.Type == service.Type))
                {
                    continue;
                }
                var cluster = $"{app.App}/{service.Type}";
                clusters.Add(new ClusterConfig
                {
                    ClusterId = cluster,
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = Destinations(service.Backends),
                });
                services.Add(new ServicePaths.Entry(service.Type, cluster, service.Locations));
            }
            routes.Add(new RouteConfig
            {
                RouteId = app.App,
                ClusterId = app.App,
                Match = new RouteMatch { Hosts = hosts, Path = "/{**catch-all}" },
                Metadata = Metadata(app, services),
                // Apps see the Host their user asked for (and YARP adds X-Forwarded-For/-Proto/-Host by default).
                Transforms = [new Dictionary<string, string> { ["RequestHeaderOriginalHost"] = "true" }],
            });
        }

        return new ProxyRoutes(routes, clusters);
    }

    private static Dictionary<string, DestinationConfig> Destinations(IReadOnlyList<string> backends)
    {
        var destinations = new Dictionary<string, DestinationConfig>(StringComparer.OrdinalIgnoreCase);
        foreach (var backend in backends)
        {
            var hostPort = backend.Trim();
            // A malformed entry is left out rather than failing the whole table in YARP's validation.
            if (hostPort.Length > 0 && !destinations.ContainsKey(hostPort)
                && Uri.TryCreate("http://" + hostPort, UriKind.Absolute, out var address) && address.AbsolutePath == "/")
            {
                destinations[hostPort] = new DestinationConfig { Address = "http://" + hostPort };
            }
        }
        return destinations;
    }

    private static Dictionary<string, string> Metadata(AppRoute app, List<ServicePaths.Entry> services)
    {
        var metadata = new Dictionary<string, string> { [RouteMetadata.App] = app.App };
        if (app.Maintenance)
        {
            metadata[RouteMetadata.Maintenance] = "true";
        }
        var whitelist = (app.Whitelist ?? []).Select(entry => entry.Trim()).Where(entry => entry.Length > 0).ToList();
        if (whitelist.Count > 0)
        {
            metadata[RouteMetadata.Whitelist] = string.Join(',', whitelist);
        }
        if (app.HttpsEnforced)
        {
            metadata[RouteMetadata.HttpsEnforced] = "true";
        }
        if (services.Count > 0)
        {
            metadata[RouteMetadata.Services] = ServicePaths.Serialize(services);
        }
        return metadata;
    }
}
