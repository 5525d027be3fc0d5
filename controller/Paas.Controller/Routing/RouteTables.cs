using System.Security.Cryptography;
using System.Text.Json;
using Paas.Contracts;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Routing;

/// <summary>Everything about one app the route table needs.</summary>
/// <param name="Hosts">Full host names (custom domains and the default sub-domain).</param>
public sealed record RoutableApp(
    string Name,
    int? ServingVersion,
    IReadOnlyList<string>? Hosts = null,
    bool Routable = true,
    bool Maintenance = false,
    IReadOnlyList<string>? Whitelist = null,
    bool HttpsEnforced = false,
    IReadOnlyDictionary<string, List<ServiceLocation>>? Services = null);

/// <summary>Computes what the router serves: a pure function of the apps, their processes and certificates.</summary>
public static class RouteTables
{
    /// <param name="balancedWebEndpoint">The backend balances between an app's ready web processes itself (a Kubernetes
    /// Service, <see cref="SchedulerFeatures.BalancedWebEndpoint"/>): its one endpoint is routed whatever release the
    /// processes behind it run, since during a rolling update the backend, not the route, moves traffic to the new ones.</param>
    public static RouteTable Compute(string domain, IEnumerable<RoutableApp> apps, IEnumerable<AppProcess> processes,
        IEnumerable<RouteCertificate>? certificates = null, bool balancedWebEndpoint = false)
    {
        var up = processes.Where(p => p.State == ProcessState.Up && p.Endpoint is not null).ToList();
        var byApp = up.Where(p => p.Type == ProcessTypes.Web).ToLookup(p => p.App);
        var byAppAndType = up.ToLookup(p => (p.App, p.Type));
        var routes = apps
            .Where(app => app.Routable)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(app => new AppRoute(
                app.Name,
                app.Hosts is { } hosts ? hosts.Order(StringComparer.Ordinal).ToList() : [$"{app.Name}.{domain}"],
                Endpoints(byApp[app.Name], app.ServingVersion, balancedWebEndpoint),
                app.Maintenance,
                app.Whitelist ?? [],
                app.HttpsEnforced,
                app.Services is { Count: > 0 } services
                    ? services.OrderBy(s => s.Key, StringComparer.Ordinal)
                        .Select(s => new ServiceRoute(s.Key, s.Value.Select(l => new RouteLocation(l.Kind, l.Value)).ToList(),
                            Endpoints(byAppAndType[(app.Name, s.Key)], app.ServingVersion, balancedWebEndpoint)))
                        .ToList()
                    : null))
            .ToList();
        var certs = (certificates ?? []).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return WithVersion(new RouteTable("", routes, certs));
    }

    private static List<string> Endpoints(IEnumerable<AppProcess> processes, int? servingVersion, bool balanced) =>
        processes.Where(p => balanced || p.Version == servingVersion).Select(p => p.Endpoint!)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>Stamps the table with a hash of its content, which the router uses as ETag.</summary>
    public static RouteTable WithVersion(RouteTable table)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(table with { Version = "" }, PaasJson.Options);
        return table with { Version = Convert.ToHexStringLower(SHA256.HashData(json))[..16] };
    }
}
