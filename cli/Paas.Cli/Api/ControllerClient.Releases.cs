using System.Text.Json;

namespace Paas.Cli.Api;

// config/, releases/ and builds/: everything that makes a release.
public sealed partial class ControllerClient
{
    public Task<AppConfig> GetConfigAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<AppConfig>($"{AppPath(app)}config/", cancellationToken);

    /// <summary>Changes part of the config; the controller makes a release and deploys it.</summary>
    public Task<AppConfig> ChangeConfigAsync(string app, ConfigChange change, CancellationToken cancellationToken) =>
        SendAsync<AppConfig>(HttpMethod.Post, $"{AppPath(app)}config/", JsonContent(change), cancellationToken, timeout: DeployTimeout);

    /// <summary>The newest <paramref name="limit"/> releases, newest first.</summary>
    public Task<Page<Release>> ListReleasesAsync(string app, int limit, CancellationToken cancellationToken) =>
        GetAsync<Page<Release>>($"{AppPath(app)}releases/?limit={limit}", cancellationToken);

    public Task<Release> GetReleaseAsync(string app, int version, CancellationToken cancellationToken) =>
        GetAsync<Release>($"{AppPath(app)}releases/v{version}/", cancellationToken);

    /// <summary>
    /// A new release with the build and config of <paramref name="version"/>; without one (an
    /// empty body) of the release before the current one. The answer is <c>{"version": new}</c>.
    /// </summary>
    public Task<JsonElement> RollbackAsync(string app, int? version, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(
            HttpMethod.Post,
            $"{AppPath(app)}releases/rollback/",
            version is { } number ? JsonContent(new { version = number }) : EmptyJsonContent(),
            cancellationToken,
            timeout: DeployTimeout);

    public Task<Page<Build>> ListBuildsAsync(string app, int limit, CancellationToken cancellationToken) =>
        GetAsync<Page<Build>>($"{AppPath(app)}builds/?limit={limit}", cancellationToken);

    public Task<Build> GetBuildAsync(string app, string uuid, CancellationToken cancellationToken) =>
        GetAsync<Build>($"{AppPath(app)}builds/{Escape(uuid)}/", cancellationToken);

    /// <summary>A build from an image that already exists; the controller releases and deploys it.</summary>
    public Task<Build> CreateBuildAsync(
        string app, string image, IReadOnlyDictionary<string, string>? procfile, CancellationToken cancellationToken) =>
        SendAsync<Build>(
            HttpMethod.Post,
            $"{AppPath(app)}builds/",
            procfile is null ? JsonContent(new { image }) : JsonContent(new { image, procfile }),
            cancellationToken,
            timeout: DeployTimeout);
}
