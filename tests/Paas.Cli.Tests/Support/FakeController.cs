using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paas.Cli.Tests.Support;

public sealed record RecordedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public override string ToString() => $"{Method} {PathAndQuery}";
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel, port 0) that answers canned responses and records
/// every request, so that tests see exactly what the CLI puts on the wire. A request without a
/// canned answer gets a 404 ProblemDetails naming it (or the answer given to <see cref="OnAnythingElse"/>).
/// </summary>
public sealed class FakeController : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, (int Status, string Body, string ContentType)> answers = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> handlers = new();
    private readonly ConcurrentDictionary<string, string> notices = new();
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private (int Status, string Body, string ContentType)? fallback;

    private FakeController(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    public string Url => app.Urls.Single().TrimEnd('/');

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public static async Task<FakeController> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var controller = new FakeController(builder.Build());
        await controller.app.StartAsync();
        return controller;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="pathAndQuery"/> (exactly as sent) with JSON.</summary>
    public FakeController On(string method, string pathAndQuery, int status, object? json = null) =>
        OnRaw(method, pathAndQuery, status, json is null ? "" : JsonSerializer.Serialize(json), "application/json");

    public FakeController OnRaw(string method, string pathAndQuery, int status, string body, string contentType)
    {
        answers[$"{method} {pathAndQuery}"] = (status, body, contentType);
        return this;
    }

    /// <summary>Answers <paramref name="method"/> <paramref name="pathAndQuery"/> with code: for answers that stream.</summary>
    public FakeController OnHandler(string method, string pathAndQuery, Func<HttpContext, Task> handler)
    {
        handlers[$"{method} {pathAndQuery}"] = handler;
        return this;
    }

    /// <summary>Adds <c>X-Paas-Notice: text</c> to the answer to that request (whatever the answer is).</summary>
    public FakeController WithNotice(string method, string pathAndQuery, string text)
    {
        notices[$"{method} {pathAndQuery}"] = text;
        return this;
    }

    /// <summary>The answer to every request without a canned one.</summary>
    public FakeController OnAnythingElse(int status, object json, string contentType = "application/problem+json")
    {
        fallback = (status, JsonSerializer.Serialize(json), contentType);
        return this;
    }

    /// <summary>The usual answers for a logged-in user's app: the app itself and its releases.</summary>
    public FakeController WithApp(string id, string gitUrl, params object[] releases)
    {
        On("GET", $"/v2/apps/{id}/", 200, App(id, gitUrl));
        On("GET", $"/v2/apps/{id}/releases/?limit=100", 200, Page(releases));
        On("GET", $"/v2/apps/{id}/releases/?limit=1", 200, Page(releases.Take(1).ToArray()));
        return this;
    }

    public static object App(string id, string gitUrl) => new
    {
        uuid = "0f3c5a52-6b1e-4d0c-9a57-2d9a3b1e8f10",
        id,
        owner = "alice",
        url = $"{id}.localhost",
        structure = new Dictionary<string, int> { ["web"] = 1 },
        created = "2026-11-23T09:00:00Z",
        updated = "2026-11-23T10:00:00Z",
        git_url = gitUrl,
        web_url = $"http://{id}.localhost:8080",
    };

    public static object Release(int version, string summary, string created = "2026-11-23T10:00:00Z") => new
    {
        uuid = $"00000000-0000-0000-0000-00000000000{version}",
        app = "demo",
        version,
        owner = "alice",
        build = version > 1 ? "b0b0b0b0-0000-0000-0000-000000000001" : null,
        config = "c0c0c0c0-0000-0000-0000-000000000001",
        summary,
        failed = false,
        exception = (string?)null,
        created,
        updated = created,
    };

    public static object Page(object[] results, int? count = null, string? next = null) => new
    {
        count = count ?? results.Length,
        next,
        previous = (string?)null,
        results,
    };

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var pathAndQuery = request.Path.Value + request.QueryString.Value;
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var headers = request.Headers.ToDictionary(header => header.Key, header => header.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        requests.Enqueue(new RecordedRequest(request.Method, pathAndQuery, headers, body));

        var key = $"{request.Method} {pathAndQuery}";
        context.Response.Headers["DEIS_API_VERSION"] = "2.3";
        if (notices.TryGetValue(key, out var notice))
        {
            context.Response.Headers["X-Paas-Notice"] = notice;
        }

        if (handlers.TryGetValue(key, out var handler))
        {
            await handler(context);
            return;
        }

        var (status, answer, contentType) = answers.TryGetValue(key, out var canned)
            ? canned
            : fallback
              ?? (404, JsonSerializer.Serialize(new { title = "Not Found", status = 404, detail = $"fake controller: no answer for {key}" }), "application/problem+json");
        context.Response.StatusCode = status;
        if (answer.Length > 0)
        {
            context.Response.ContentType = contentType;
            await context.Response.WriteAsync(answer);
        }
    }
}
