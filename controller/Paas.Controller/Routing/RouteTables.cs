using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Paas.Contracts;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Routing;

/// <summary>The serving state of one app, as the route table needs it.</summary>
public sealed record RoutableApp(string Name, int? ServingVersion);

/// <summary>Computes what the router serves: a pure function of the apps and their processes.</summary>
public static class RouteTables
{
    public static RouteTable Compute(string domain, IEnumerable<RoutableApp> apps, IEnumerable<AppProcess> processes)
    {
        var byApp = processes
            .Where(p => p.Type == ProcessTypes.Web && p.State == ProcessState.Up && p.Endpoint is not null)
            .ToLookup(p => p.App);
        var routes = apps
            .OrderBy(a => a.Name, StringComparer.Ordinal)
            .Select(app => new AppRoute(
                app.Name,
                [$"{app.Name}.{domain}"],
                byApp[app.Name].Where(p => p.Version == app.ServingVersion).Select(p => p.Endpoint!).Order(StringComparer.Ordinal).ToList(),
                Maintenance: false,
                Whitelist: []))
            .ToList();
        return WithVersion(new RouteTable("", routes, []));
    }

    /// <summary>Stamps the table with a hash of its content, which the router uses as ETag.</summary>
    public static RouteTable WithVersion(RouteTable table)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(table with { Version = "" }, PaasJson.Options);
        return table with { Version = Convert.ToHexStringLower(SHA256.HashData(json))[..16] };
    }
}
