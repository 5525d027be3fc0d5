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
    bool HttpsEnforced = false);

/// <summary>Computes what the router serves: a pure function of the apps, their processes and certificates.</summary>
public static class RouteTables
{
    /// <param name="balancedWebEndpoint">The backend balances between an app's ready web processes itself (a Kubernetes
    /// Service, <see cref="SchedulerFeatures.BalancedWebEndpoint"/>): its one endpoint is routed whatever release the
    /// processes behind it run, since during a rolling update the backend, not the route, moves traffic to the new ones.</param>
    public static RouteTable Compute(string domain, IEnumerable<RoutableApp> apps, IEnumerable<AppProcess> processes,
        IEnumerable<RouteCertificate>? certificates = null, bool balancedWebEndpoint = false)
    {
        var byApp = processes
            .Where(p => p.Type == ProcessTypes.Web && p.State == ProcessState.Up && p.Endpoint is not null)
            .ToLookup(p => p.App);
        var routes = apps
            .Where(app => app.Routable)
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(app => new AppRoute(
                app.Name,
                app.Hosts is { } hosts ? hosts.Order(StringComparer.Ordinal).ToList() : [$"{app.Name}.{domain}"],
                byApp[app.Name].Where(p => balancedWebEndpoint || p.Version == app.ServingVersion).Select(p => p.Endpoint!)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                app.Maintenance,
                app.Whitelist ?? [],
                app.HttpsEnforced))
            .ToList();
        var certs = (certificates ?? []).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        return WithVersion(new RouteTable("", routes, certs));
    }

    /// <summary>Stamps the table with a hash of its content, which the router uses as ETag.</summary>
    public static RouteTable WithVersion(RouteTable table)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(table with { Version = "" }, PaasJson.Options);
        return table with { Version = Convert.ToHexStringLower(SHA256.HashData(json))[..16] };
    }
}
