using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace Paas.Cli.Api;

/// <summary>
/// The controller's HTTP API (Deis Workflow API v2.3) as typed calls; the calls for each topic
/// live in <c>ControllerClient.&lt;Topic&gt;.cs</c>. Paths end in a slash where the deis CLI sends
/// one. Every failure leaves here as a <see cref="CliException"/> with a message for the user: an
/// error status (<see cref="ControllerErrors"/>), an unreachable controller, or an answer that is
/// not what the API promises. <c>X-Paas-Notice</c> headers go to the notice callback.
/// </summary>
public sealed partial class ControllerClient : IDisposable
{
    /// <summary>How long an ordinary request may take.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Requests that make a release wait for its deploy (new processes must come up and pass
    /// their checks), which can take minutes for a big image or many processes.
    /// </summary>
    public static readonly TimeSpan DeployTimeout = TimeSpan.FromMinutes(10);

    public const string NoticeHeader = "X-Paas-Notice";

    private const int PageSize = 100;

    private readonly HttpClient http;
    private readonly string? token;
    private readonly Action<string> notice;

    /// <param name="controller">A URL as <see cref="NormalizeUrl"/> returns it.</param>
    /// <param name="token">Sent as <c>Authorization: token …</c>; null before logging in.</param>
    /// <param name="notice">Gets each <c>X-Paas-Notice</c> of each response, once.</param>
    public ControllerClient(string controller, string? token, Action<string>? notice = null)
    {
        Controller = controller;
        this.token = token;
        this.notice = notice ?? (_ => { });
        http = new HttpClient(new SocketsHttpHandler
        {
            // Notices are sentences; a controller may write them in UTF-8.
            ResponseHeaderEncodingSelector = (_, _) => Encoding.UTF8,
        })
        {
            BaseAddress = new Uri(controller + "/"),
            // Each request sets its own limit (see SendAsync): one-off runs and followed logs have none.
            Timeout = System.Threading.Timeout.InfiniteTimeSpan,
        };
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
        using var response = await TransmitAsync(request, HttpCompletionOption.ResponseContentRead, Timeout, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            throw new CliException(
                $"{Controller} does not look like a Paas controller (GET /v2/ answered {(int)response.StatusCode}, a controller answers 401)");
        }
    }

    public void Dispose() => http.Dispose();

    // ---- requests with JSON answers -------------------------------------------------------------

    private Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        SendAsync<T>(HttpMethod.Get, path, null, cancellationToken);

    /// <summary>Every item of a list, following the pages by offset.</summary>
    private async Task<IReadOnlyList<T>> ListAllAsync<T>(string path, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        while (true)
        {
            var query = items.Count == 0 ? $"?limit={PageSize}" : $"?limit={PageSize}&offset={items.Count}";
            var page = await GetAsync<Page<T>>(path + query, cancellationToken);
            items.AddRange(page.Results);
            // The offset is ours to compute: `next` may name a host the controller sees, not the one we reach.
            if (page.Next is null || page.Results.Count == 0 || items.Count >= page.Count)
            {
                return items;
            }
        }
    }

    private async Task<T> SendAsync<T>(
        HttpMethod method,
        string path,
        HttpContent? content,
        CancellationToken cancellationToken,
        bool authenticate = true,
        TimeSpan? timeout = null)
    {
        using var response = await SendAsync(method, path, content, cancellationToken, authenticate, timeout);
        return await ReadJsonAsync<T>(response, method, path, cancellationToken);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, HttpMethod method, string path, CancellationToken cancellationToken)
    {
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

    /// <summary>A request whose answer the CLI does not need (204, or a body it ignores).</summary>
    private async Task SendIgnoringAnswerAsync(
        HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var response = await SendAsync(method, path, content, cancellationToken, timeout: timeout);
    }

    /// <summary>
    /// Sends an API request and reads the whole answer within <paramref name="timeout"/>
    /// (<see cref="Timeout"/> when null); an error status becomes a <see cref="ControllerException"/>.
    /// </summary>
    private Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        CancellationToken cancellationToken,
        bool authenticate = true,
        TimeSpan? timeout = null)
    {
        var request = CreateRequest(method, path, content, authenticate);
        return SendCheckedAsync(request, HttpCompletionOption.ResponseContentRead, timeout ?? Timeout, cancellationToken);
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string path, HttpContent? content, bool authenticate = true)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        if (authenticate && token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("token", token);
        }

        return request;
    }

    /// <summary>
    /// Sends <paramref name="request"/> (and disposes it); an error status becomes a
    /// <see cref="ControllerException"/>. With <see cref="HttpCompletionOption.ResponseHeadersRead"/>
    /// the caller reads the body as it arrives, without a time limit.
    /// </summary>
    private async Task<HttpResponseMessage> SendCheckedAsync(
        HttpRequestMessage request, HttpCompletionOption completion, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using (request)
        {
            var response = await TransmitAsync(request, completion, timeout, cancellationToken);
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
    }

    /// <summary>Sends a request; only failing to get an answer at all is an error here.</summary>
    private async Task<HttpResponseMessage> TransmitAsync(
        HttpRequestMessage request, HttpCompletionOption completion, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } limit)
        {
            deadline.CancelAfter(limit);
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, completion, deadline.Token);
        }
        catch (HttpRequestException e)
        {
            // "Connection refused (127.0.0.1:8000)"; for TLS failures the useful part is inside.
            var reason = e.InnerException is { } inner && e.Message.Contains("inner exception", StringComparison.Ordinal)
                ? inner.Message
                : e.Message;
            throw new CliException($"Cannot reach the controller at {Controller}: {reason}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliException(
                $"No answer from the controller at {Controller} within {timeout?.TotalSeconds:0} seconds ({request.Method} {request.RequestUri?.AbsolutePath})",
                e);
        }

        ReportNotices(response);
        return response;
    }

    private void ReportNotices(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues(NoticeHeader, out var values))
        {
            foreach (var text in values.Select(value => value.Trim()).Where(value => value.Length > 0).Distinct(StringComparer.Ordinal))
            {
                notice(text);
            }
        }
    }

    // ---- bodies and paths -----------------------------------------------------------------------

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

    private static string AppPath(string app) => $"v2/apps/{Escape(app)}/";

    private static string StripQuery(string path) => path.Split('?')[0];
}
