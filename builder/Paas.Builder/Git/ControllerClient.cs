using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Paas.Contracts;

namespace Paas.Builder.Git;

/// <summary>
/// Asks the controller, with the pusher's own API token, who they are and whether they may use the
/// app. The builder keeps no users of its own: the controller's answer is the permission check.
/// </summary>
public sealed class ControllerClient(HttpClient http, Microsoft.Extensions.Options.IOptions<BuilderOptions> options)
{
    public sealed record AppInfo(string Id, string Owner, string WebUrl);

    private sealed record WhoAmI(string Username);

    public abstract record Access
    {
        public sealed record Granted(string Username, AppInfo App) : Access;
        public sealed record BadCredentials : Access;
        public sealed record Denied(string Message) : Access;
    }

    public async Task<Access> CheckAsync(string token, string app, CancellationToken ct)
    {
        using var whoRequest = Request($"/v2/auth/whoami/", token);
        using var who = await http.SendAsync(whoRequest, ct);
        if (who.StatusCode == HttpStatusCode.Unauthorized) return new Access.BadCredentials();
        who.EnsureSuccessStatusCode();
        var user = (await who.Content.ReadFromJsonAsync<WhoAmI>(PaasJson.Options, ct))!;

        using var appRequest = Request($"/v2/apps/{Uri.EscapeDataString(app)}/", token);
        using var found = await http.SendAsync(appRequest, ct);
        return found.StatusCode switch
        {
            HttpStatusCode.OK => new Access.Granted(user.Username, (await found.Content.ReadFromJsonAsync<AppInfo>(PaasJson.Options, ct))!),
            HttpStatusCode.Unauthorized => new Access.BadCredentials(),
            HttpStatusCode.NotFound or HttpStatusCode.Forbidden =>
                new Access.Denied($"App {app} does not exist, or {user.Username} may not push to it. Ask its owner to run: paas perms:create {user.Username} -a {app}"),
            _ => throw new HttpRequestException($"The controller answered {(int)found.StatusCode} when asked about app {app}."),
        };
    }

    private sealed record ConfigAnswer(Dictionary<string, string?>? Values);

    /// <summary>The config values of the app's serving release (buildpacks read them as ENV_DIR), asked with the service token.</summary>
    public async Task<IReadOnlyDictionary<string, string>> GetConfigValuesAsync(string app, string user, CancellationToken ct)
    {
        using var request = ServiceRequest(HttpMethod.Post, "/v2/hooks/config/");
        request.Content = JsonContent.Create(new { receive_user = user, receive_repo = app });
        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The controller answered {(int)response.StatusCode} when asked for the config of {app}: {await response.Content.ReadAsStringAsync(ct)}");
        var config = await response.Content.ReadFromJsonAsync<ConfigAnswer>(PaasJson.Options, ct);
        return (config?.Values ?? []).Where(kv => kv.Value is not null).ToDictionary(kv => kv.Key, kv => kv.Value!, StringComparer.Ordinal);
    }

    /// <summary>Who owns an SSH key (by its MD5 fingerprint) and which apps they may push to; null for an unknown key.</summary>
    public sealed record KeyOwner(string Username, IReadOnlyList<string> Apps, IReadOnlyDictionary<string, string>? WebUrls);

    public async Task<KeyOwner?> FindKeyOwnerAsync(string fingerprint, CancellationToken ct)
    {
        using var request = ServiceRequest(HttpMethod.Get, $"/v2/hooks/key/{Uri.EscapeDataString(fingerprint)}");
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The controller answered {(int)response.StatusCode} when asked who owns key {fingerprint}.");
        return await response.Content.ReadFromJsonAsync<KeyOwner>(PaasJson.Options, ct);
    }

    private HttpRequestMessage ServiceRequest(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(PaasHeaders.ServiceAuth, options.Value.ServiceToken);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    private static HttpRequestMessage Request(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }
}
