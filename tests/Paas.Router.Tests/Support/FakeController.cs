using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Paas.Contracts;

namespace Paas.Router.Tests.Support;

/// <summary>
/// Stands in for the controller's GET /v2/hooks/routes/: serves a route table as JSON with an ETag, answers 304 to
/// a matching If-None-Match, 401 without the service token, and 500 while <see cref="Failing"/>.
/// </summary>
public sealed class FakeController : IAsyncDisposable
{
    public const string ServiceToken = "test-service-token";

    private readonly WebApplication _app;
    private volatile RouteTable _table = RouteTable.Empty;
    private int _polls;
    private int _notModified;
    private int _stopped;

    private FakeController(WebApplication app)
    {
        _app = app;
        Url = new Uri(app.Urls.Single());
    }

    public Uri Url { get; }

    /// <summary>While true, every poll gets a 500.</summary>
    public bool Failing { get; set; }

    public int Polls => Volatile.Read(ref _polls);

    public int NotModified => Volatile.Read(ref _notModified);

    public void Serve(RouteTable table) => _table = table;

    public static async Task<FakeController> StartAsync(RouteTable? table = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeController? controller = null;
        app.MapGet("/v2/hooks/routes/", (HttpContext context) => controller!.Answer(context));
        await app.StartAsync();
        controller = new FakeController(app);
        controller.Serve(table ?? RouteTable.Empty);
        return controller;
    }

    private async Task Answer(HttpContext context)
    {
        Interlocked.Increment(ref _polls);
        if (context.Request.Headers[PaasHeaders.ServiceAuth] != ServiceToken)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        if (Failing)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var table = _table;
        var etag = $"\"{table.Version}\"";
        if (context.Request.Headers.IfNoneMatch == etag)
        {
            Interlocked.Increment(ref _notModified);
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        context.Response.Headers.ETag = etag;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, table, PaasJson.Options);
    }

    /// <summary>Stops answering: the router's polls get connection refused from then on. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            await _app.DisposeAsync();
        }
    }
}
