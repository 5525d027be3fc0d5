using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Paas.Contracts;
using Paas.Hosting;

namespace Paas.Router.Tests.Support;

/// <summary>
/// The real router, started in-process exactly as Program.cs does, on free ports (plain HTTP, and HTTPS when asked),
/// reading its routes from <paramref name="controller"/> every 100 ms.
/// </summary>
public sealed class RouterUnderTest : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeController _controller;
    private readonly HttpClient _client = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };

    private RouterUnderTest(WebApplication app, FakeController controller, LogCapture logs)
    {
        _app = app;
        _controller = controller;
        Logs = logs;
        var urls = app.Urls.Select(url => new Uri(url)).ToList();
        HttpUrl = urls.Single(url => url.Scheme == "http");
        HttpsUrl = urls.SingleOrDefault(url => url.Scheme == "https");
    }

    public Uri HttpUrl { get; }

    public Uri? HttpsUrl { get; }

    public LogCapture Logs { get; }

    public static async Task<RouterUnderTest> StartAsync(FakeController controller, bool https = false)
    {
        List<string> args =
        [
            "--urls=http://127.0.0.1:0",
            $"--{RouterSettings.ControllerUrlKey}={controller.Url}",
            $"--{RouterSettings.ServiceTokenKey}={FakeController.ServiceToken}",
            $"--{RouterSettings.PollMillisecondsKey}=100",
        ];
        if (https)
        {
            args.Add($"--{RouterSettings.HttpsUrlKey}=https://127.0.0.1:0");
        }

        var logs = new LogCapture();
        var builder = WebApplication.CreateBuilder([.. args]);
        builder.AddPaasDefaults();
        builder.Logging.AddProvider(logs);
        builder.AddRouter();
        var app = builder.Build();
        app.MapRouter();
        await app.StartAsync();
        return new RouterUnderTest(app, controller, logs);
    }

    /// <summary>A request to the router's plain HTTP address with the given Host header.</summary>
    public async Task<HttpResponseMessage> GetAsync(string host, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(HttpUrl, path));
        request.Headers.Host = host;
        return await _client.SendAsync(request);
    }

    /// <summary>The backend that answered, or null when the router answered itself.</summary>
    public async Task<string?> BackendAt(string host, string path = "/")
    {
        using var response = await GetAsync(host, path);
        return response.StatusCode == HttpStatusCode.OK ? (await response.Content.ReadFromJsonAsync<BackendAnswer>())!.Backend : null;
    }

    /// <summary>
    /// Has the controller serve a table and waits until the router serves it; returns the table's version. The table
    /// carries a probe app with a host of its own and no backends: once the probe's host answers "probe has no web
    /// processes" instead of 404, the table is in force.
    /// </summary>
    public async Task<string> ServeAsync(IReadOnlyList<AppRoute> apps, IReadOnlyList<RouteCertificate>? certificates = null)
    {
        var version = Guid.NewGuid().ToString("N");
        var probe = $"probe-{version}.test";
        _controller.Serve(new RouteTable(version, [.. apps, new AppRoute("probe", [probe], [])], certificates ?? []));
        await Eventually.Returns(
            async () =>
            {
                using var response = await GetAsync(probe);
                return await response.Content.ReadAsStringAsync();
            },
            body => body.StartsWith("probe has no web processes", StringComparison.Ordinal),
            $"the router serves route table {version}");
        return version;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }
}
