using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Paas.Contracts;

namespace Paas.Router;

/// <summary>
/// Polls the controller's route table and swaps each new one in whole (routes and certificates). When the controller
/// cannot be read, the router goes on serving the last table it had.
/// </summary>
public sealed partial class RouteTableSource(
    RouterSettings settings,
    RouteConfigProvider proxyConfig,
    CertificateSelector certificates,
    ILogger<RouteTableSource> logger) : BackgroundService
{
    // The poll interval is short, so a slow controller must not hold a poll for long either.
    private readonly HttpClient _controller = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(2) })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    private volatile RouteTable? _current;
    private EntityTagHeaderValue? _etag;
    private bool _failing;

    /// <summary>The table in force, or null until the first one arrived.</summary>
    public RouteTable? Current => _current;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.PollInterval);
        try
        {
            do
            {
                await PollAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _controller.Dispose();
        base.Dispose();
    }

    private async Task PollAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, settings.RoutesUrl);
            request.Headers.Add(PaasHeaders.ServiceAuth, settings.ServiceToken);
            if (_etag is not null)
            {
                request.Headers.IfNoneMatch.Add(_etag);
            }

            using var response = await _controller.SendAsync(request, stoppingToken);
            if (response.StatusCode != HttpStatusCode.NotModified)
            {
                if (!response.IsSuccessStatusCode)
                {
                    Failed($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                    return;
                }
                var table = await response.Content.ReadFromJsonAsync<RouteTable>(PaasJson.Options, stoppingToken);
                if (table?.Apps is null || table.Certificates is null)
                {
                    Failed("the answer is not a route table");
                    return;
                }
                Apply(table);
                _etag = response.Headers.ETag;
            }

            if (_failing)
            {
                _failing = false;
                LogRecovered(settings.RoutesUrl);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Whatever went wrong (network, timeout, a malformed table), the last good table stays.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Failed(e.Message);
        }
    }

    private void Apply(RouteTable table)
    {
        // Without an ETag the same table comes back on every poll; its version says it is unchanged.
        if (_current?.Version == table.Version)
        {
            return;
        }

        var routes = RouteTableConverter.Convert(table);
        // Logged before the swap, so by the time a request sees the new table its line is in the log.
        LogRoutesChanged(table.Version, routes.Routes.Count, routes.Clusters.Sum(cluster => cluster.Destinations?.Count ?? 0));
        certificates.Update(table.Certificates);
        proxyConfig.Update(routes);
        _current = table;
    }

    private void Failed(string reason)
    {
        if (!_failing)
        {
            _failing = true;
            var meanwhile = _current is { } table ? $"Serving the last table ({table.Version}) until it can" : "Apps get 503 until it can";
            LogFailing(settings.RoutesUrl, reason, meanwhile);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Route table {Version}: {Apps} apps, {Backends} backends")]
    private partial void LogRoutesChanged(string version, int apps, int backends);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Cannot read the route table from {Url}: {Reason}. {Meanwhile}.")]
    private partial void LogFailing(Uri url, string reason, string meanwhile);

    [LoggerMessage(Level = LogLevel.Information, Message = "The route table at {Url} can be read again")]
    private partial void LogRecovered(Uri url);
}
