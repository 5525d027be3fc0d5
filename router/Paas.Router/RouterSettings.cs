namespace Paas.Router;

/// <summary>The router's configuration, read once at startup (environment variables, command line).</summary>
public sealed record RouterSettings(Uri RoutesUrl, string ServiceToken, TimeSpan PollInterval, string? HttpsUrl)
{
    public const string ControllerUrlKey = "PAAS_CONTROLLER_URL";
    public const string ServiceTokenKey = "PAAS_SERVICE_TOKEN";
    public const string PollMillisecondsKey = "PAAS_ROUTES_POLL_MS";
    public const string HttpsUrlKey = "PAAS_ROUTER_HTTPS_URL";

    /// <summary>Where the platform expects the router when neither --urls nor ASPNETCORE_URLS says otherwise.</summary>
    public const string DefaultHttpUrl = "http://127.0.0.1:8080";

    public static RouterSettings From(IConfiguration configuration)
    {
        var controller = configuration[ControllerUrlKey] is { Length: > 0 } url ? url : "http://127.0.0.1:8000";
        if (!Uri.TryCreate(controller.EndsWith('/') ? controller : controller + "/", UriKind.Absolute, out var controllerUri))
        {
            throw new InvalidOperationException($"{ControllerUrlKey} is not an absolute URL: '{controller}'.");
        }

        var token = configuration[ServiceTokenKey];
        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidOperationException(
                $"{ServiceTokenKey} is not set: the router needs the platform's service token to read its routes from the controller.");
        }

        var poll = 500;
        if (configuration[PollMillisecondsKey] is { Length: > 0 } pollText && (!int.TryParse(pollText, out poll) || poll <= 0))
        {
            throw new InvalidOperationException($"{PollMillisecondsKey} must be a positive number of milliseconds, not '{pollText}'.");
        }

        var https = configuration[HttpsUrlKey] is { Length: > 0 } httpsUrl ? httpsUrl : null;
        return new RouterSettings(new Uri(controllerUri, "v2/hooks/routes/"), token, TimeSpan.FromMilliseconds(poll), https);
    }
}
