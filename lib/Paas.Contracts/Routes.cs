namespace Paas.Contracts;

/// <summary>
/// What the router serves, computed by the controller (GET /v2/hooks/routes/). The router swaps it
/// in whole; <see cref="Version"/> is a content hash used as the ETag.
/// </summary>
public sealed record RouteTable(string Version, IReadOnlyList<AppRoute> Apps, IReadOnlyList<RouteCertificate> Certificates)
{
    public static readonly RouteTable Empty = new("empty", [], []);
}

/// <param name="Hosts">Host names that reach the app: "&lt;app&gt;.&lt;platform domain&gt;" and its custom domains.</param>
/// <param name="Backends">"host:port" of each ready web process of the serving release; empty when none runs.</param>
/// <param name="Maintenance">When on, the router answers 503 with a maintenance page.</param>
/// <param name="Whitelist">CIDRs allowed to reach the app; empty allows everyone.</param>
/// <param name="HttpsEnforced">Plain HTTP requests are redirected to HTTPS.</param>
/// <param name="Services">Other process types that serve some paths (Deis's services); the rest goes to web.</param>
public sealed record AppRoute(
    string App,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Backends,
    bool Maintenance = false,
    IReadOnlyList<string>? Whitelist = null,
    bool HttpsEnforced = false,
    IReadOnlyList<ServiceRoute>? Services = null);

/// <summary>The requests an app's process type other than web serves, chosen by path as nginx chooses a location.</summary>
/// <param name="Type">The process type, e.g. "webhooks".</param>
/// <param name="Locations">Where it applies; web implicitly has the location "/".</param>
/// <param name="Backends">"host:port" of each ready process of that type of the serving release.</param>
public sealed record ServiceRoute(string Type, IReadOnlyList<RouteLocation> Locations, IReadOnlyList<string> Backends);

/// <param name="Kind">"exact" (= /p), "prefix" (/p), "preferred-prefix" (^~ /p), "regex" (~ re) or "regex-ignore-case" (~* re).</param>
public sealed record RouteLocation(string Kind, string Value);

/// <summary>A TLS certificate the router presents (by SNI) for the listed domains.</summary>
public sealed record RouteCertificate(string Name, IReadOnlyList<string> Domains, string CertificatePem, string KeyPem);
