using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;

namespace Paas.Cli.Api;

/// <summary>
/// The controller's HTTP API (Deis Workflow API v2.3) as typed calls. Paths end in a slash as the
/// deis CLI sends them. Every failure leaves here as a <see cref="CliException"/> with a message
/// for the user: an error status (<see cref="ControllerErrors"/>), an unreachable controller, or
/// an answer that is not what the API promises.
/// </summary>
public sealed class ControllerClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient http;
    private readonly string? token;

    /// <param name="controller">A URL as <see cref="NormalizeUrl"/> returns it.</param>
    /// <param name="token">Sent as <c>Authorization: token …</c>; null before logging in.</param>
    public ControllerClient(string controller, string? token)
    {
        Controller = controller;
        this.token = token;
        http = new HttpClient { BaseAddress = new Uri(controller + "/"), Timeout = Timeout };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // Asking for problem+json makes the controller answer a 404 with ProblemDetails rather
        // than Deis's bare JSON string.
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("paas-cli", Version));
    }

    /// <summary>The controller's URL without a trailing slash, e.g. <c>http://127.0.0.1:8000</c>.</summary>
    public string Controller { get; }

    public static string Version { get; } =
        typeof(ControllerClient).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>
    /// What the user typed as the controller, made absolute: a missing scheme means <c>http://</c>
    /// (as the deis CLI does); the trailing slash, query and fragment are dropped.
    /// </summary>
    public static string NormalizeUrl(string text)
    {
        var candidate = text.Trim();
        if (!candidate.Contains("://", StringComparison.Ordinal))
        {
            candidate = "http://" + candidate;
        }

        if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || uri.Host.Length == 0)
        {
            throw new CliException($"\"{text}\" is not a controller URL; expected something like http://127.0.0.1:8000");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>A controller answers <c>GET /v2/</c> without a token with 401; anything else is not one.</summary>
    public async Task EnsureIsControllerAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/");
        using var response = await TransmitAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            throw new CliException(
                $"{Controller} does not look like a Paas controller (GET /v2/ answered {(int)response.StatusCode}, a controller answers 401)");
        }
    }

    public Task<User> RegisterAsync(RegisterRequest user, CancellationToken cancellationToken) =>
        SendAsync<User>(HttpMethod.Post, "v2/auth/register/", JsonContent(user), cancellationToken);

    /// <summary>Exchanges a username and password for a token; sent without any earlier token.</summary>
    public async Task<string> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<LoginResponse>(
            HttpMethod.Post, "v2/auth/login/", JsonContent(new LoginRequest(username, password)), cancellationToken, authenticate: false);
        return string.IsNullOrEmpty(answer.Token)
            ? throw new CliException($"The controller at {Controller} accepted the login but sent no token")
            : answer.Token;
    }

    public Task<User> WhoAmIAsync(CancellationToken cancellationToken) =>
        SendAsync<User>(HttpMethod.Get, "v2/auth/whoami/", null, cancellationToken);

    /// <summary>Without a name the body is empty (0 bytes) and the controller makes one up.</summary>
    public Task<App> CreateAppAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<App>(
            HttpMethod.Post,
            "v2/apps/",
            id is null ? EmptyJsonContent() : JsonContent(new CreateAppRequest(id)),
            cancellationToken);

    /// <summary>Every app the user can see, following the pages.</summary>
    public async Task<IReadOnlyList<App>> ListAppsAsync(CancellationToken cancellationToken)
    {
        const int pageSize = 100;
        var apps = new List<App>();
        while (true)
        {
            var path = apps.Count == 0 ? $"v2/apps/?limit={pageSize}" : $"v2/apps/?limit={pageSize}&offset={apps.Count}";
            var page = await SendAsync<Page<App>>(HttpMethod.Get, path, null, cancellationToken);
            apps.AddRange(page.Results);
            // The offset is ours to compute: `next` may name a host the controller sees, not the one we reach.
            if (page.Next is null || page.Results.Count == 0 || apps.Count >= page.Count)
            {
                return apps;
            }
        }
    }

    public Task<App> GetAppAsync(string app, CancellationToken cancellationToken) =>
        SendAsync<App>(HttpMethod.Get, $"v2/apps/{Escape(app)}/", null, cancellationToken);

    public async Task DestroyAppAsync(string app, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"v2/apps/{Escape(app)}/", null, cancellationToken);
    }

    /// <summary>The newest <paramref name="limit"/> releases, newest first.</summary>
    public Task<Page<Release>> ListReleasesAsync(string app, int limit, CancellationToken cancellationToken) =>
        SendAsync<Page<Release>>(HttpMethod.Get, $"v2/apps/{Escape(app)}/releases/?limit={limit}", null, cancellationToken);

    public Task<Release> GetReleaseAsync(string app, int version, CancellationToken cancellationToken) =>
        SendAsync<Release>(HttpMethod.Get, $"v2/apps/{Escape(app)}/releases/v{version}/", null, cancellationToken);

    public void Dispose() => http.Dispose();

    private async Task<T> SendAsync<T>(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool authenticate = true)
    {
        using var response = await SendAsync(method, path, content, cancellationToken, authenticate);
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(ApiJson.Options, cancellationToken)
                ?? throw new JsonException("the body is null");
        }
        catch (JsonException e)
        {
            throw new CliException($"The controller's answer to {method} /{StripQuery(path)} is not what the CLI expects: {e.Message}", e);
        }
    }

    /// <summary>Sends an API request; an error status becomes a <see cref="ControllerException"/>.</summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, bool authenticate = true)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (authenticate && token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        }

        var response = await TransmitAsync(request, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw ControllerErrors.ToException(response.StatusCode, body, Controller);
        }
    }

    /// <summary>Sends a request; only failing to get an answer at all is an error here.</summary>
    private async Task<HttpResponseMessage> TransmitAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            // "Connection refused (127.0.0.1:8000)"; for TLS failures the useful part is inside.
            var reason = e.InnerException is { } inner && e.Message.Contains("inner exception", StringComparison.Ordinal)
                ? inner.Message
                : e.Message;
            throw new CliException($"Cannot reach the controller at {Controller}: {reason}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException($"Cannot reach the controller at {Controller}: no answer within {Timeout.TotalSeconds:0} seconds", e);
        }
    }

    /// <summary>Compact JSON with a Content-Length (not chunked), as the deis CLI sends it.</summary>
    private static ByteArrayContent JsonContent<T>(T value) =>
        JsonBytes(JsonSerializer.SerializeToUtf8Bytes(value, ApiJson.Options));

    /// <summary>0 bytes, still labelled JSON like every deis CLI request.</summary>
    private static ByteArrayContent EmptyJsonContent() => JsonBytes([]);

    private static ByteArrayContent JsonBytes(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string StripQuery(string path) => path.Split('?')[0];
}
