using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Paas.Scheduler.Kubernetes.Tests.Support;

/// <summary>One request the scheduler made.</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Query, string? ContentType, string Body)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>
/// An in-process stand-in for the Kubernetes API: a real Kestrel on a free loopback port (as kubernetes-client/csharp's
/// own MockKubeApiServer), so requests go through the real client, serializer and HTTP stack. It keeps applied
/// objects in memory, answers reads and lists from them (with simple label selectors), reports Deployments as
/// rolled out at once, and records every request. <see cref="Fail"/> makes a request answer with an error instead.
/// </summary>
public sealed class FakeKubernetesApi : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();
    private readonly ConcurrentDictionary<string, JsonObject> objects = new(StringComparer.Ordinal);
    private readonly List<(string Method, string PathPrefix, int Status, string Message, TimeSpan Delay)> failures = [];
    private long resourceVersion = 100;

    private FakeKubernetesApi(WebApplication app)
    {
        this.app = app;
        app.Run(HandleAsync);
    }

    public static async Task<FakeKubernetesApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var fake = new FakeKubernetesApi(builder.Build());
        await fake.app.StartAsync();
        return fake;
    }

    public Uri Address => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    /// <summary>Requests that change something (not GET).</summary>
    public IReadOnlyList<RecordedRequest> Changes => Requests.Where(r => r.Method != "GET").ToList();

    public IKubernetes Client(TimeSpan? timeout = null) =>
        new k8s.Kubernetes(new KubernetesClientConfiguration { Host = Address.ToString(), HttpClientTimeout = timeout ?? TimeSpan.FromSeconds(10) });

    /// <summary>Answers requests whose path starts with <paramref name="pathPrefix"/> with a Kubernetes Status error, after an optional delay.</summary>
    public void Fail(string method, string pathPrefix, HttpStatusCode status, string message, TimeSpan? delay = null)
    {
        lock (failures) failures.Add((method, pathPrefix, (int)status, message, delay ?? TimeSpan.Zero));
    }

    /// <summary>Puts an object in place as if someone had created it (e.g. a namespace Paas did not make).</summary>
    public void Seed(string path, string json) => objects[path] = JsonNode.Parse(json)!.AsObject();

    public JsonObject? Get(string path) => objects.GetValueOrDefault(path);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8)) body = await reader.ReadToEndAsync();
        var path = request.Path.Value ?? "/";
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        requests.Enqueue(new RecordedRequest(request.Method, path, query, request.ContentType, body));

        (string Method, string PathPrefix, int Status, string Message, TimeSpan Delay)? failure;
        lock (failures) failure = failures.LastOrDefault(f => f.Method == request.Method && path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
        if (failure is { } f && f.PathPrefix is not null)
        {
            if (f.Delay > TimeSpan.Zero) await Task.Delay(f.Delay, context.RequestAborted);
            await StatusAsync(context, f.Status, f.Message);
            return;
        }

        switch (request.Method)
        {
            case "PATCH":
                await ApplyAsync(context, path, body);
                break;
            case "POST":
                await CreateAsync(context, path, body);
                break;
            case "DELETE":
                if (objects.TryRemove(path, out _)) await StatusAsync(context, 200, "deleted", "Success");
                else await StatusAsync(context, 404, $"{Last(path)} not found", reason: "NotFound");
                break;
            default:
                if (objects.TryGetValue(path, out var found)) await JsonAsync(context, 200, found);
                else if (IsList(path)) await JsonAsync(context, 200, List(path, query.GetValueOrDefault("labelSelector")));
                else await StatusAsync(context, 404, $"{Last(path)} not found", reason: "NotFound");
                break;
        }
    }

    private async Task ApplyAsync(HttpContext context, string path, string body)
    {
        var applied = JsonNode.Parse(body)!.AsObject();
        var existing = objects.GetValueOrDefault(path);
        var metadata = applied["metadata"]!.AsObject();
        var generation = existing?["metadata"]?["generation"]?.GetValue<long>() ?? 0;
        var changed = existing is null || !JsonNode.DeepEquals(Strip(existing), applied);
        metadata["uid"] = existing?["metadata"]?["uid"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        metadata["generation"] = changed ? generation + 1 : generation;
        metadata["resourceVersion"] = changed ? Interlocked.Increment(ref resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : existing!["metadata"]!["resourceVersion"]!.GetValue<string>();
        metadata["creationTimestamp"] = "2026-11-23T10:00:00Z";
        if (applied["kind"]?.GetValue<string>() == "Deployment")
        {
            var replicas = applied["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            applied["status"] = new JsonObject
            {
                ["observedGeneration"] = metadata["generation"]!.GetValue<long>(),
                ["replicas"] = replicas,
                ["updatedReplicas"] = replicas,
                ["readyReplicas"] = replicas,
                ["availableReplicas"] = replicas,
            };
        }
        objects[path] = applied;
        await JsonAsync(context, existing is null ? 201 : 200, applied);
    }

    private async Task CreateAsync(HttpContext context, string path, string body)
    {
        var created = JsonNode.Parse(body)!.AsObject();
        var name = created["metadata"]!["name"]!.GetValue<string>();
        var full = $"{path}/{name}";
        if (objects.ContainsKey(full))
        {
            await StatusAsync(context, 409, $"{name} already exists", reason: "AlreadyExists");
            return;
        }
        created["metadata"]!["uid"] = Guid.NewGuid().ToString();
        created["metadata"]!["resourceVersion"] = Interlocked.Increment(ref resourceVersion).ToString(System.Globalization.CultureInfo.InvariantCulture);
        objects[full] = created;
        await JsonAsync(context, 201, created);
    }

    /// <summary>What was applied, without what the server added: to tell whether an apply changed anything.</summary>
    private static JsonObject Strip(JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        copy.Remove("status");
        var metadata = copy["metadata"]!.AsObject();
        foreach (var key in new[] { "uid", "generation", "resourceVersion", "creationTimestamp" }) metadata.Remove(key);
        return copy;
    }

    /// <summary>A collection path: /api/v1/pods, /api/v1/namespaces/NS/pods, /apis/G/V/namespaces/NS/deployments, /api/v1/namespaces.</summary>
    private static bool IsList(string path)
    {
        var parts = path.Trim('/').Split('/');
        var rest = parts[0] == "api" ? parts[2..] : parts[3..];
        return rest.Length == 1 || (rest.Length == 3 && rest[0] == "namespaces");
    }

    private JsonObject List(string path, string? selector)
    {
        var parts = path.Trim('/').Split('/');
        var rest = parts[0] == "api" ? parts[2..] : parts[3..];
        var prefix = rest.Length == 3 ? path + "/" : null;
        var resource = rest[^1];
        var items = objects.Where(o => prefix is not null ? o.Key.StartsWith(prefix, StringComparison.Ordinal) && !o.Key[prefix.Length..].Contains('/')
                : o.Key.Split('/')[^2] == resource)
            .Where(o => Matches(o.Value, selector))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .Select(o => o.Value.DeepClone())
            .ToArray();
        return new JsonObject { ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) }, ["items"] = new JsonArray(items) };
    }

    /// <summary>The label selector forms the scheduler uses: k=v, k!=v, k and !k, comma-separated.</summary>
    private static bool Matches(JsonObject o, string? selector)
    {
        if (string.IsNullOrEmpty(selector)) return true;
        var labels = o["metadata"]?["labels"]?.AsObject();
        string? Label(string key) => labels?[key]?.GetValue<string>();
        foreach (var term in selector.Split(','))
        {
            if (term.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = (term[..term.IndexOf("!=", StringComparison.Ordinal)], term[(term.IndexOf("!=", StringComparison.Ordinal) + 2)..]);
                if (Label(k) == v) return false;
            }
            else if (term.Contains('=', StringComparison.Ordinal))
            {
                var (k, v) = (term[..term.IndexOf('=', StringComparison.Ordinal)], term[(term.IndexOf('=', StringComparison.Ordinal) + 1)..]);
                if (Label(k) != v) return false;
            }
            else if (term.StartsWith('!'))
            {
                if (Label(term[1..]) is not null) return false;
            }
            else if (Label(term) is null) return false;
        }
        return true;
    }

    private static string Last(string path) => path[(path.LastIndexOf('/') + 1)..];

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static Task StatusAsync(HttpContext context, int code, string message, string status = "Failure", string? reason = null) =>
        JsonAsync(context, code, new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["status"] = status,
            ["message"] = message,
            ["reason"] = reason ?? (code switch { 403 => "Forbidden", 409 => "Conflict", 422 => "Invalid", _ => "" }),
            ["code"] = code,
        });

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
