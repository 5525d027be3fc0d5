using System.Diagnostics;

namespace Paas.Chart.Tests;

/// <summary>
/// Requests an app through the router without pause, each request on a new connection (as independent
/// clients would, so every one goes through the Service's current endpoints), and counts what failed.
/// </summary>
public sealed class TrafficProbe : IAsyncDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };
    private readonly CancellationTokenSource stop = new();
    private readonly List<string> failures = [];
    private readonly Task[] loops;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private int succeeded;

    public TrafficProbe(Uri router, string host, string expectedBody, int clients = 2)
    {
        loops = [.. Enumerable.Range(0, clients).Select(_ => Task.Run(() => LoopAsync(router, host, expectedBody)))];
    }

    public int Succeeded => Volatile.Read(ref succeeded);

    public IReadOnlyList<string> Failures
    {
        get { lock (failures) return [.. failures]; }
    }

    private async Task LoopAsync(Uri router, string host, string expectedBody)
    {
        while (!stop.IsCancellationRequested)
        {
            var at = clock.Elapsed;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, router);
                request.Headers.Host = host;
                request.Headers.ConnectionClose = true;
                using var response = await http.SendAsync(request, stop.Token);
                var body = (await response.Content.ReadAsStringAsync(stop.Token)).Trim();
                if (response.IsSuccessStatusCode && body == expectedBody) Interlocked.Increment(ref succeeded);
                else Fail(at, $"HTTP {(int)response.StatusCode}: {body[..Math.Min(body.Length, 120)]}");
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // every failure counts, whatever it is
            catch (Exception e)
#pragma warning restore CA1031
            {
                Fail(at, e.GetType().Name + ": " + e.Message);
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }

    private void Fail(TimeSpan at, string what)
    {
        lock (failures) failures.Add($"{at.TotalSeconds:0.0}s {what}");
    }

    /// <summary>Stops the requests (and may be called again).</summary>
    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        http.Dispose();
    }
}
