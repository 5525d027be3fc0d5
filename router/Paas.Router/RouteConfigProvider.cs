using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Paas.Router;

/// <summary>
/// Hands YARP the current routes. Each update swaps in a new immutable snapshot and cancels the old one's change
/// token, which tells YARP to read the new one: the whole table changes at once, never half of it.
/// </summary>
public sealed class RouteConfigProvider : IProxyConfigProvider
{
    private volatile Snapshot _current = new([], []);

    public IProxyConfig GetConfig() => _current;

    public void Update(ProxyRoutes routes)
    {
        var previous = Interlocked.Exchange(ref _current, new Snapshot(routes.Routes, routes.Clusters));
        previous.Expire();
    }

    // The token source is not disposed: YARP may still register its callback on the token after the next update
    // cancelled it, and a cancelled source holds nothing worth releasing.
#pragma warning disable CA1001
    private sealed class Snapshot : IProxyConfig
#pragma warning restore CA1001
    {
        private readonly CancellationTokenSource _expired = new();

        public Snapshot(IReadOnlyList<RouteConfig> routes, IReadOnlyList<ClusterConfig> clusters)
        {
            Routes = routes;
            Clusters = clusters;
            ChangeToken = new CancellationChangeToken(_expired.Token);
        }

        public IReadOnlyList<RouteConfig> Routes { get; }

        public IReadOnlyList<ClusterConfig> Clusters { get; }

        public IChangeToken ChangeToken { get; }

        public void Expire() => _expired.Cancel();
    }
}
