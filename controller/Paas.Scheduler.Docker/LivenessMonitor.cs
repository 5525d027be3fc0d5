using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain;

namespace Paas.Scheduler.Docker;

/// <summary>
/// Runs the liveness checks of running processes and restarts a process after FailureThreshold failures
/// in a row, as the kubelet does. One loop looks every second for what is due; the checks themselves run
/// alongside, so a slow check or a long stop grace holds up no other process. The work comes from the
/// containers' labels (the check, the grace), so it carries on after a controller restart.
/// </summary>
internal sealed class LivenessMonitor(IDockerClient docker, Containers containers, ProbeRunner probes, uint defaultGraceSeconds, ILogger logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, Watched> watched = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> earlierRestarts = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private Task? loop;

    /// <summary>Starts the loop on first use of the scheduler; later calls do nothing.</summary>
    public void EnsureRunning()
    {
        lock (gate)
        {
            if (loop is null && !stopping.IsCancellationRequested) loop = Task.Run(() => RunAsync(stopping.Token));
        }
    }

    /// <summary>
    /// Restarts Docker no longer counts: `docker restart` sets the container's RestartCount back to 0,
    /// so the count before each liveness restart, plus the restart itself, is kept here (in memory:
    /// after a controller restart only Docker's count since the last liveness restart remains).
    /// </summary>
    public int EarlierRestarts(string containerId) => earlierRestarts.GetValueOrDefault(containerId);

    private async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Tick);
        try
        {
            do
            {
                try
                {
                    await CheckWhatIsDueAsync(ct);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Liveness checks could not run this round; trying again");
                }
            } while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
        await Task.WhenAll(watched.Values.Select(w => w.Checking ?? Task.CompletedTask));
    }

    private async Task CheckWhatIsDueAsync(CancellationToken ct)
    {
        var all = await containers.ListProcessesAsync(null, ct, withLabel: ContainerLabels.Liveness);
        var present = all.Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in watched.Keys.Where(id => !present.Contains(id)).ToList())
        {
            watched.Remove(gone);
            earlierRestarts.TryRemove(gone, out _);
        }
        var now = DateTimeOffset.UtcNow;
        foreach (var container in all.Where(c => c.State == "running"))
        {
            if (!watched.TryGetValue(container.ID, out var w))
            {
                if (ContainerLabels.LivenessOf(container.Labels) is not { } probe) continue;
                watched[container.ID] = w = new Watched(container.ID, Containers.NameOf(container), probe,
                    ContainerLabels.GraceSeconds(container.Labels, defaultGraceSeconds));
            }
            if (w.Checking is { IsCompleted: false } || now < w.Due) continue;
            w.Checking = CheckAsync(w, ct);
        }
    }

    private async Task CheckAsync(Watched w, CancellationToken ct)
    {
        try
        {
            var state = await docker.Containers.InspectContainerAsync(w.Id, ct);
            if (!state.State.Running || state.State.Restarting) return;
            // A new start (after a crash or our restart) waits out the initial delay again, with a clean slate.
            if (state.State.StartedAt != w.StartedAt)
            {
                w.StartedAt = state.State.StartedAt;
                w.Failures = 0;
                w.Due = (Containers.StartedAt(state.State) ?? DateTimeOffset.UtcNow) + TimeSpan.FromSeconds(w.Probe.InitialDelaySeconds);
                if (DateTimeOffset.UtcNow < w.Due) return;
            }
            var result = await probes.RunAsync(w.Probe, w.Id, Containers.AddressOf(state.NetworkSettings?.Networks), ct);
            w.Due = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(w.Probe.PeriodSeconds);
            w.Failures = result.Passed ? 0 : w.Failures + 1;
            if (w.Failures < w.Probe.FailureThreshold) return;

            logger.LogWarning("Process {Process} failed its liveness check {Failures} times in a row ({Check}: {Result}); restarting it",
                w.Name, w.Failures, ProbeRunner.Describe(w.Probe), result.Detail);
            await docker.Containers.RestartContainerAsync(w.Id, new ContainerRestartParameters { WaitBeforeKillSeconds = w.GraceSeconds }, ct);
            earlierRestarts.AddOrUpdate(w.Id, (int)state.RestartCount + 1, (_, before) => before + (int)state.RestartCount + 1);
            w.Failures = 0;
        }
        catch (DockerContainerNotFoundException)
        {
            // removed meanwhile (retired, restarted, destroyed); the next round forgets it
        }
        catch (DockerApiException e)
        {
            logger.LogDebug("Liveness check of {Process} skipped: {Reason}", w.Name, e.ResponseBody.Trim());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Liveness check of {Process} failed to run", w.Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? running;
        lock (gate)
        {
            running = loop;
            stopping.Cancel();
        }
        if (running is not null) await running;
        stopping.Dispose();
    }

    /// <summary>One process under watch. Only the loop and the process's one check in flight touch it, never at once.</summary>
    private sealed class Watched(string id, string name, Probe probe, uint graceSeconds)
    {
        public string Id { get; } = id;
        public string Name { get; } = name;
        public Probe Probe { get; } = probe;
        public uint GraceSeconds { get; } = graceSeconds;
        public string? StartedAt { get; set; }
        public DateTimeOffset Due { get; set; } = DateTimeOffset.MinValue;
        public int Failures { get; set; }
        public Task? Checking { get; set; }
    }
}
