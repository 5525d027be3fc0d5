using System.Net;
using System.Runtime.CompilerServices;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Model;

namespace Paas.Router;

/// <summary>
/// Runs in YARP's pipeline once a request matched an app's route, before a backend is chosen: answers for apps that
/// must not or cannot be reached (whitelist, maintenance, no web process) and passes the rest on to be proxied.
/// </summary>
public sealed class AccessRules(RequestDelegate next)
{
    // Each whitelist is parsed once: YARP keeps a route's RouteConfig object for as long as the route is unchanged.
    private static readonly ConditionalWeakTable<RouteConfig, Whitelist> Whitelists = new();
    private static readonly ConditionalWeakTable<RouteConfig, ServicePaths> Services = new();
    private static readonly Dictionary<string, string> NoMetadata = [];

    public Task InvokeAsync(HttpContext context)
    {
        var proxy = context.GetReverseProxyFeature();
        var route = proxy.Route.Config;
        IReadOnlyDictionary<string, string> metadata = route.Metadata ?? NoMetadata;
        var app = metadata.GetValueOrDefault(RouteMetadata.App, route.RouteId);

        // The whitelist comes first: a client that may not reach the app learns nothing else about it.
        if (metadata.ContainsKey(RouteMetadata.Whitelist))
        {
            var whitelist = Whitelists.GetValue(route, static route => Whitelist.Parse(route.Metadata![RouteMetadata.Whitelist]));
            var client = context.Connection.RemoteIpAddress is { } address ? Whitelist.Normalize(address) : null;
            if (client is null || !whitelist.Allows(client))
            {
                return RouterAnswers.Forbidden(context, client, app);
            }
        }

        if (metadata.GetValueOrDefault(RouteMetadata.HttpsEnforced) == "true" && !context.Request.IsHttps)
        {
            return RouterAnswers.RedirectToHttps(context, context.RequestServices.GetRequiredService<RouterSettings>());
        }

        if (metadata.GetValueOrDefault(RouteMetadata.Maintenance) == "true")
        {
            return RouterAnswers.Maintenance(context, app);
        }

        if (metadata.ContainsKey(RouteMetadata.Services)
            && Services.GetValue(route, static route => ServicePaths.Parse(route.Metadata![RouteMetadata.Services])).Select(context.Request.Path.Value ?? "/") is { } service)
        {
            // The service's own cluster: its processes, balanced as web's are.
            if (!context.RequestServices.GetRequiredService<IProxyStateLookup>().TryGetCluster(service.Cluster, out var cluster))
            {
                return RouterAnswers.NoProcesses(context, app, service.Type);
            }
            context.ReassignProxyRequest(cluster);
            if (context.GetReverseProxyFeature().AllDestinations.Count == 0)
            {
                return RouterAnswers.NoProcesses(context, app, service.Type);
            }
            return next(context);
        }

        if (proxy.AllDestinations.Count == 0)
        {
            return RouterAnswers.NoWebProcesses(context, app);
        }

        return next(context);
    }
}

/// <summary>What the router itself answers, worded for the app's user or owner.</summary>
public static class RouterAnswers
{
    public static Task NoRoute(HttpContext context, RouteTableSource routes) => routes.Current is null
        ? Text(context, StatusCodes.Status503ServiceUnavailable, "The router has not received its routes from the controller yet.")
        : Text(context, StatusCodes.Status404NotFound, $"No app is routed at {context.Request.Host.Host}.");

    public static Task Forbidden(HttpContext context, IPAddress? client, string app) =>
        Text(context, StatusCodes.Status403Forbidden, $"Your address {client?.ToString() ?? "(unknown)"} is not allowed to reach {app}.");

    public static Task NoProcesses(HttpContext context, string app, string type) =>
        Text(context, StatusCodes.Status503ServiceUnavailable,
            $"{app} has no {type} processes running to serve {context.Request.Path}. Scale them with: paas ps:scale {type}=1 -a {app}");

    public static Task NoWebProcesses(HttpContext context, string app) =>
        Text(context, StatusCodes.Status503ServiceUnavailable,
            $"{app} has no web processes running. Deploy it with git push, or scale it with: paas ps:scale web=1 -a {app}");

    /// <summary>301 to the same URL on the router's HTTPS listener (its port, unless that is 443).</summary>
    public static Task RedirectToHttps(HttpContext context, RouterSettings settings)
    {
        var port = settings.HttpsUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var https) ? https.Port : 443;
        var host = port == 443 ? context.Request.Host.Host : $"{context.Request.Host.Host}:{port}";
        var request = context.Request;
        context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
        context.Response.Headers.Location = $"https://{host}{request.PathBase}{request.Path}{request.QueryString}";
        return Task.CompletedTask;
    }

    public static Task Maintenance(HttpContext context, string app)
    {
        var name = WebUtility.HtmlEncode(app);
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync($"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{name} is down for maintenance</title></head>
            <body style="font-family: sans-serif; margin: 4em auto; max-width: 40em">
            <h1>Down for maintenance</h1>
            <p>{name} is down for maintenance. Please try again later.</p>
            </body>
            </html>

            """);
    }

    private static Task Text(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message);
    }
}
