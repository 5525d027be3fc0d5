using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>
/// Waits until a new process is ready, as a deploy or a restart needs before traffic moves to it. With a
/// readiness check: after its initial delay, every period, until it passed SuccessThreshold times in a
/// row. Without one, web is ready when its port accepts a connection and other types once they run.
/// A process that exits (Docker then restarts it) or is not ready within the timeout fails.
/// Only new processes are checked: a running process that later fails its readiness check stays
/// routed, as this backend has nothing to take it out of the route with (liveness restarts it).
/// </summary>
internal sealed class ReadinessCheck(Containers containers, ProbeRunner probes, TimeSpan timeout)
{
    private static readonly TimeSpan StatePoll = TimeSpan.FromMilliseconds(100);

    public async Task WaitAsync(NewContainer process, Probe? readiness, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        DateTimeOffset? nextCheck = null; // known once it runs: its initial delay counts from its start
        ProbeResult? last = null;
        var passes = 0;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var state = await containers.InspectAsync(process.Id, ct)
                ?? throw new DeploymentFailedException($"{process.Type} process {process.Name} was removed before it was ready.");
            if (state.RestartCount > 0 || state.State.Restarting || state.State is { Running: false, Status: "exited" or "dead" })
                throw new DeploymentFailedException(
                    $"{process.Type} process {process.Name} exited with code {state.State.ExitCode} before it was ready. Its last output:\n{await containers.TailAsync(process.Id)}");
            if (state.State.Running)
            {
                var address = Containers.AddressOf(state.NetworkSettings?.Networks);
                if (readiness is null)
                {
                    if (process.Type != ProcessTypes.Web) return;
                    if (address is not null && await AcceptsAsync(address, DeploymentSpec.WebPort, ct)) return;
                }
                else if (DateTimeOffset.UtcNow >= (nextCheck ??= (Containers.StartedAt(state.State) ?? DateTimeOffset.UtcNow)
                             + TimeSpan.FromSeconds(readiness.InitialDelaySeconds)))
                {
                    last = await probes.RunAsync(readiness, process.Id, address, ct);
                    passes = last.Passed ? passes + 1 : 0;
                    if (passes >= readiness.SuccessThreshold) return;
                    nextCheck = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(readiness.PeriodSeconds);
                }
            }
            if (Stopwatch.GetElapsedTime(started) > timeout) throw await NotReadyAsync(process, readiness, last);
            await Task.Delay(StatePoll, ct);
        }
    }

    private async Task<DeploymentFailedException> NotReadyAsync(NewContainer process, Probe? readiness, ProbeResult? last)
    {
        var output = await containers.TailAsync(process.Id);
        var within = ProbeRunner.Seconds(timeout);
        return readiness is null
            ? new DeploymentFailedException(
                $"{process.Type} process {process.Name} did not accept connections on port {DeploymentSpec.WebPort} within {within}. " +
                $"Does it listen on $PORT? Its last output:\n{output}")
            : new DeploymentFailedException(
                $"{process.Type} process {process.Name} never passed its readiness check " +
                $"({ProbeRunner.Describe(readiness)}: {last?.Detail ?? "not checked yet, its initial delay is longer"}) within {within}. " +
                $"Its last output:\n{output}");
    }

    private static async Task<bool> AcceptsAsync(string address, int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port, limit.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
