using Docker.DotNet;

namespace Paas.Scheduler.Docker;

internal static class DockerStreams
{
    /// <summary>
    /// Runs a read on an attached or log stream so that it ends when <paramref name="ct"/> fires: a pending
    /// read on a hijacked connection does not reliably notice the token, closing the stream does.
    /// </summary>
    public static async Task<T> ReadAsync<T>(MultiplexedStream stream, Func<Task<T>> read, CancellationToken ct)
    {
        using var closing = ct.Register(stream.Dispose);
        try
        {
            return await read();
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("The read was cancelled.", e, ct);
        }
    }
}
