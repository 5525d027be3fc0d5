using System.Collections.Concurrent;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker.Tests.Support;

/// <summary>
/// Sends an app's web requests the way the platform routes them: to the Up web processes ListAsync
/// reports, as last seen by a table refreshed every 300 ms (the route table and the router's poll),
/// round robin, a request every 20 ms. Every failed request is kept.
/// </summary>
public sealed class SimulatedRouter : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly ConcurrentQueue<string> failures = new();
    private volatile string[] endpoints = [];
    private Task running = Task.CompletedTask;
    private int requests;

    public IReadOnlyList<string> Failures => [.. failures];

    public int Requests => requests;

    public static async Task<SimulatedRouter> StartAsync(IScheduler scheduler, string app)
    {
        var router = new SimulatedRouter();
        await router.RefreshAsync(scheduler, app);
        if (router.endpoints.Length == 0) throw new InvalidOperationException($"{app} has no web process to route to.");
        router.running = Task.WhenAll(router.RefreshLoopAsync(scheduler, app), router.RequestLoopAsync());
        return router;
    }

    private async Task RefreshAsync(IScheduler scheduler, string app)
    {
        endpoints = (await scheduler.ListAsync(app, CancellationToken.None))
            .Where(p => p.Type == ProcessTypes.Web && p.State == ProcessState.Up && p.Endpoint is not null)
            .Select(p => p.Endpoint!).ToArray();
    }

    private async Task RefreshLoopAsync(IScheduler scheduler, string app)
    {
        while (!stop.IsCancellationRequested)
        {
            await Task.Delay(300, CancellationToken.None);
            await RefreshAsync(scheduler, app);
        }
    }

    private async Task RequestLoopAsync()
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var table = endpoints;
            if (table.Length == 0)
            {
                failures.Enqueue("no web process in the route table");
            }
            else
            {
                var endpoint = table[i % table.Length];
                try
                {
                    using var response = await http.GetAsync(new Uri($"http://{endpoint}/"), CancellationToken.None);
                    if (!response.IsSuccessStatusCode) failures.Enqueue($"{endpoint}: HTTP {(int)response.StatusCode}");
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    failures.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {endpoint}: {e.Message}");
                }
                Interlocked.Increment(ref requests);
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        http.Dispose();
        stop.Dispose();
    }
}
