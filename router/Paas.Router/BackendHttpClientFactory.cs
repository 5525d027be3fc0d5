using Yarp.ReverseProxy.Forwarder;

namespace Paas.Router;

/// <summary>
/// YARP's client to the app processes, with a connect timeout: a backend that went away without refusing
/// connections (a stopped container's address) answers 502 within seconds instead of after the kernel's SYN retries.
/// </summary>
public sealed class BackendHttpClientFactory(ILogger<ForwarderHttpClientFactory> logger) : ForwarderHttpClientFactory(logger)
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    protected override void ConfigureHandler(ForwarderHttpClientContext context, SocketsHttpHandler handler)
    {
        base.ConfigureHandler(context, handler);
        handler.ConnectTimeout = ConnectTimeout;
    }
}
