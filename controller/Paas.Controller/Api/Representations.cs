using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Api;

// The JSON shapes of Deis Workflow's API v2.3 (snake_case on the wire). Extra fields are Paas's
// additions; Deis clients ignore them.

public sealed record UserDto(
    string Username, string Email, string FirstName, string LastName,
    bool IsSuperuser, bool IsStaff, bool IsActive, DateTimeOffset? LastLogin, DateTimeOffset DateJoined)
{
    public static UserDto From(PaasUser user, bool isAdmin) => new(
        user.UserName!, user.Email ?? "", user.FirstName, user.LastName, isAdmin, isAdmin, user.IsActive, user.LastLogin, user.DateJoined);
}

public sealed record AppDto(
    Guid Uuid, string Id, string Owner, string Url, IReadOnlyDictionary<string, int> Structure,
    DateTimeOffset Created, DateTimeOffset Updated, string GitUrl, string WebUrl)
{
    public static AppDto From(App app, PlatformOptions platform) => new(
        app.Id, app.Name, app.Owner, $"{app.Name}.{platform.Domain}", app.Structure, app.Created, app.Updated,
        platform.GitUrl(app.Name), platform.AppUrl(app.Name));
}

public sealed record ReleaseDto(
    Guid Uuid, string App, int Version, string Owner, Guid? Build, Guid Config, string Summary,
    bool Failed, string? Exception, string State, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static ReleaseDto From(Release release, string app) => new(
        release.Id, app, release.Version, release.Owner, release.BuildId, release.ConfigId, release.Summary,
        release.Failed, release.Failure, release.State.ToString().ToLowerInvariant(), release.Created, release.Updated);
}

/// <summary>A build as Deis shows it, plus Paas's record of how it went (+status, +failure, +phases, +release, +log on one build).</summary>
public sealed record BuildDto(
    Guid Uuid, string App, string Owner, string Image, string? Sha, IReadOnlyDictionary<string, string> Procfile,
    string Dockerfile, string Kind, DateTimeOffset Created, DateTimeOffset Updated, int? Release = null,
    string? Status = null, string? Failure = null, IReadOnlyDictionary<string, double>? Phases = null, string? Log = null)
{
    public static BuildDto From(Build build, string app, int? release = null, bool withLog = false) => new(
        build.Id, app, build.Owner, build.Image, build.Sha, build.Procfile,
        // Deis's field is a string (it held the Dockerfile's text); its CLI fails to decode anything else.
        build.Kind == "dockerfile" ? "Dockerfile" : "", build.Kind,
        build.Created, build.Updated, release, build.Status, build.Failure, build.Phases, withLog ? build.Log ?? "" : null);
}

public sealed record PodDto(string Name, string State, string Type, string Release, DateTimeOffset Started, int Restarts)
{
    public static PodDto From(Paas.Domain.Scheduling.AppProcess process) => new(
        process.Name, process.State.ToString().ToLowerInvariant(), process.Type, $"v{process.Version}", process.Started, process.Restarts);
}

public sealed record DomainDto(string App, string Owner, string Domain, string? Certificate, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static DomainDto From(Hostname host, string app) => new(app, host.Owner, host.Name, host.CertificateName, host.Created, host.Updated);
}

public sealed record CertDto(
    string Name, string CommonName, IReadOnlyList<string> San, DateTimeOffset Expires, DateTimeOffset Starts, string Fingerprint,
    string Issuer, string Subject, IReadOnlyList<string> Domains, string Owner, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static CertDto From(Certificate c, IReadOnlyList<string> domains) => new(
        c.Name, c.CommonName, c.Sans, c.Expires, c.Starts, c.Fingerprint, c.Issuer, c.Subject, domains, c.Owner, c.Created, c.Updated);
}

public sealed record KeyDto(string Id, string Public, string Fingerprint, string Owner, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static KeyDto From(SshKey k) => new(k.Name, k.Public, k.Fingerprint, k.Owner, k.Created, k.Updated);
}

public sealed record AutoscaleDto(int Min, int Max, int CpuPercent);

public sealed record SettingsDto(
    Guid Uuid, string App, string Owner, bool Maintenance, bool Routable, IReadOnlyList<string> Whitelist,
    IReadOnlyDictionary<string, string> Label, IReadOnlyDictionary<string, AutoscaleDto> Autoscale, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static SettingsDto From(AppSettings s, string app) => new(
        s.Id, app, s.Owner, s.Maintenance, s.Routable, s.Whitelist, s.Label,
        s.Autoscale.ToDictionary(kv => kv.Key, kv => new AutoscaleDto(kv.Value.Min, kv.Value.Max, kv.Value.CpuPercent)), s.Created, s.Updated);
}

public sealed record TlsDto(Guid Uuid, string App, string Owner, bool HttpsEnforced, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static TlsDto From(AppSettings s, string app) => new(s.Id, app, s.Owner, s.HttpsEnforced, s.Created, s.Updated);
}

/// <summary>One extra service as Deis lists it: {"procfile_type": "webhooks", "path_pattern": "/webhooks,~ ^/hooks/"}.</summary>
public sealed record ServiceDto(string ProcfileType, string PathPattern)
{
    public static List<ServiceDto> From(AppSettings s) => s.Services.OrderBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => new ServiceDto(kv.Key, ServiceLocations.Format(kv.Value))).ToList();
}

public sealed record EventDto(DateTimeOffset Created, string User, string Kind, string Message)
{
    public static EventDto From(AppEvent e) => new(e.Created, e.User, e.Kind, e.Message);
}
