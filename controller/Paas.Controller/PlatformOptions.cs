using Microsoft.Extensions.Configuration;

namespace Paas.Controller;

/// <summary>The controller's settings, read from environment variables (see DEVELOPERS.md).</summary>
public sealed class PlatformOptions
{
    /// <summary>Apps are reachable at &lt;app&gt;.&lt;Domain&gt;.</summary>
    [ConfigurationKeyName("PAAS_DOMAIN")]
    public string Domain { get; set; } = "localhost";

    /// <summary>Where users `git push` (shown as each app's git_url).</summary>
    [ConfigurationKeyName("PAAS_BUILDER_URL")]
    public string BuilderUrl { get; set; } = "http://127.0.0.1:8001";

    /// <summary>The router's public port, for the app URLs shown to users; empty means the scheme's default.</summary>
    [ConfigurationKeyName("PAAS_ROUTER_PORT")]
    public string RouterPort { get; set; } = "8080";

    /// <summary>Shared secret of the platform's own components (builder, router).</summary>
    [ConfigurationKeyName("PAAS_SERVICE_TOKEN")]
    public string ServiceToken { get; set; } = "";

    /// <summary>enabled (anyone may register), admin_only (admins register others) or disabled.</summary>
    [ConfigurationKeyName("PAAS_REGISTRATION_MODE")]
    public string RegistrationMode { get; set; } = "enabled";

    /// <summary>How long old processes keep running after the route switched, so routers pick up the change.</summary>
    [ConfigurationKeyName("PAAS_DRAIN_SECONDS")]
    public double DrainSeconds { get; set; } = 3;

    /// <summary>A one-off process (`paas run`) running longer is stopped, with exit code 124.</summary>
    [ConfigurationKeyName("PAAS_RUN_TIMEOUT")]
    public double RunTimeoutSeconds { get; set; } = 1800;

    [ConfigurationKeyName("PAAS_SCHEDULER")]
    public string Scheduler { get; set; } = "docker";

    /// <summary>Seconds between reconciliations of what runs with what should run.</summary>
    [ConfigurationKeyName("PAAS_RECONCILE_SECONDS")]
    public double ReconcileSeconds { get; set; } = 60;

    public string AppUrl(string app) =>
        string.IsNullOrEmpty(RouterPort) || RouterPort == "80" ? $"http://{app}.{Domain}/" : $"http://{app}.{Domain}:{RouterPort}/";

    public string GitUrl(string app) => $"{BuilderUrl.TrimEnd('/')}/{app}.git";
}
