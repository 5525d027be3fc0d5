using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Paas.Router;

/// <summary>Wires the router: the route table source, YARP, the answers of its own, and HTTPS when asked for.</summary>
public static class RouterApp
{
    public static WebApplicationBuilder AddRouter(this WebApplicationBuilder builder)
    {
        var settings = RouterSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton<RouteConfigProvider>();
        services.AddSingleton<IProxyConfigProvider>(provider => provider.GetRequiredService<RouteConfigProvider>());
        services.AddSingleton<CertificateSelector>();
        services.AddSingleton<RouteTableSource>();
        services.AddHostedService(provider => provider.GetRequiredService<RouteTableSource>());
        services.AddSingleton<IForwarderHttpClientFactory, BackendHttpClientFactory>();
        services.AddReverseProxy();

        // The router logs route table changes, not traffic: YARP logs every proxied request at Information, and
        // every failed one (a 502) at Warning, which would flood the log while one app's process is down.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("Yarp.ReverseProxy.Forwarder", LogLevel.Error);

        var httpUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls ? urls : RouterSettings.DefaultHttpUrl;
        if (settings.HttpsUrl is { } httpsUrl)
        {
            // When --urls or ASPNETCORE_URLS is set too, Kestrel warns that it overrides them: it does not matter,
            // as these listeners bind the same addresses.
            builder.WebHost.ConfigureKestrel(kestrel => RouterListeners.Listen(kestrel, httpUrls, httpsUrl));
        }
        else
        {
            builder.WebHost.UseUrls(httpUrls);
        }
        return builder;
    }

    public static WebApplication MapRouter(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<AccessRules>();
            proxy.UseLoadBalancing();
        });
        // Order 1 puts the router's own health check behind the apps' routes (order 0): an app's /healthz is the app's.
        app.MapMethods("/healthz", [HttpMethods.Get, HttpMethods.Head], () => "ok").WithOrder(1);
        // Ready once the first route table arrived: a router started without one would answer 404 for every app
        // (readiness probes use this, so a new router takes no traffic before it knows the routes).
        app.MapMethods("/readyz", [HttpMethods.Get, HttpMethods.Head], (RouteTableSource routes) => routes.Current is null
            ? Results.Text("waiting for the first route table from the controller", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ok")).WithOrder(1);
        app.MapFallback("{**path}", RouterAnswers.NoRoute);
        return app;
    }
}
