using System.Collections.Concurrent;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>
/// The single-host backend: every process is a container on one Docker engine, labelled with its
/// app, process type and release. Web processes are reached on their container address (the
/// bridge network is routable from the host, where the router runs), port $PORT.
/// Docker restarts crashed containers (restart policy unless-stopped); a liveness monitor restarts
/// the ones that fail their liveness check. One-off processes are containers too, never listed as processes.
/// </summary>
public sealed class DockerScheduler : IScheduler, IAsyncDisposable, IDisposable
{
    private readonly DockerSchedulerOptions options;
    private readonly ILogger<DockerScheduler> logger;
    private readonly Containers containers;
    private readonly ReadinessCheck readiness;
    private readonly LivenessMonitor liveness;
    private readonly OneOffRun oneOffs;
    private readonly LogStream logs;

    /// <summary>Web processes on their way out: still running, no longer offered to the router.</summary>
    private readonly ConcurrentDictionary<string, bool> draining = new(StringComparer.Ordinal);

    public DockerScheduler(IDockerClient docker, DockerSchedulerOptions options, ILogger<DockerScheduler> logger)
    {
        this.options = options;
        this.logger = logger;
        containers = new Containers(docker);
        var probes = new ProbeRunner(docker);
        readiness = new ReadinessCheck(containers, probes, options.ReadyTimeout);
        liveness = new LivenessMonitor(docker, containers, probes, options.StopGraceSeconds, logger);
        oneOffs = new OneOffRun(docker, containers, logger);
        logs = new LogStream(docker, containers);
    }

    public string Name => "docker";

    public SchedulerFeatures Features { get; } = new(NodeSelection: false, Autoscaling: false);

    public async Task DeployAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        liveness.EnsureRunning();
        await containers.EnsureImageAsync(spec.Image, spec.PullCredentials, cancellationToken);
        var mine = (await containers.ListProcessesAsync(spec.App, cancellationToken))
            .Where(c => ContainerLabels.Version(c.Labels) == spec.Version).ToList();
        var started = new List<(NewContainer Container, ProcessSpec Process)>();
        var surplus = new List<ContainerListResponse>();
        try
        {
            foreach (var process in spec.Processes)
            {
                var current = mine.Where(c => ContainerLabels.TypeOf(c.Labels) == process.Type).OrderBy(c => c.Created).ToList();
                // Containers Docker gave up on (exited, dead) are replaced rather than counted.
                var alive = current.Where(c => c.State is "running" or "restarting" or "created").ToList();
                foreach (var gone in current.Except(alive)) await containers.RemoveAsync(gone.ID, cancellationToken);
                for (var i = alive.Count; i < process.Replicas; i++)
                    started.Add((await StartAsync(spec, process, cancellationToken), process));
                surplus.AddRange(alive.Skip(process.Replicas).Reverse());
            }
            // Process types the release no longer has.
            var types = spec.Processes.Select(p => p.Type).ToHashSet(StringComparer.Ordinal);
            surplus.AddRange(mine.Where(c => !types.Contains(ContainerLabels.TypeOf(c.Labels))));
            await StopAsync(surplus, cancellationToken);

            await Task.WhenAll(started.Select(s => readiness.WaitAsync(s.Container, s.Process.Healthcheck?.Readiness, cancellationToken)));
        }
        catch (Exception e) when (e is DeploymentFailedException or DockerApiException)
        {
            // Leave nothing half-made behind: the previous release keeps serving on its own.
            foreach (var s in started) await containers.RemoveAsync(s.Container.Id, CancellationToken.None);
            if (e is DockerApiException api) throw Refused(spec, api);
            throw;
        }
    }

    public async Task RetireAsync(string app, int keepVersion, CancellationToken cancellationToken)
    {
        var old = (await containers.ListProcessesAsync(app, cancellationToken))
            .Where(c => ContainerLabels.Version(c.Labels) != keepVersion).ToList();
        await Task.WhenAll(old.Select(c => containers.StopAndRemoveAsync(c, options.StopGraceSeconds, cancellationToken)));
        if (old.Count > 0) logger.LogInformation("Stopped {Count} process(es) of {App} not in v{Version}", old.Count, app, keepVersion);
    }

    public async Task DestroyAsync(string app, CancellationToken cancellationToken)
    {
        // One-offs included: nothing of the app may outlive it.
        var all = await containers.ListAllAsync(app, cancellationToken);
        await Task.WhenAll(all.Select(c => containers.RemoveAsync(c.ID, cancellationToken)));
    }

    /// <summary>
    /// Restart counts and start times are only in a container's inspection, so every listed container
    /// is inspected, all at once (the route table asks at most every 250 ms; a single host runs tens of
    /// containers, each inspection a millisecond). Containers that never started need none.
    /// </summary>
    public async Task<IReadOnlyList<AppProcess>> ListAsync(string? app, CancellationToken cancellationToken)
    {
        liveness.EnsureRunning();
        var listed = await containers.ListProcessesAsync(app, cancellationToken);
        var processes = await Task.WhenAll(listed.Select(async c =>
            c.State == "created" ? ToProcess(c) : await containers.InspectAsync(c.ID, cancellationToken) is { } inspected ? ToProcess(inspected) : null));
        return processes.OfType<AppProcess>().OrderBy(p => p.App, StringComparer.Ordinal).ThenBy(p => p.Type, StringComparer.Ordinal)
            .ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Replaces processes one by one per type (types in parallel): the new one starts and passes its
    /// readiness check, then the old one leaves the route table, drains and stops with its grace.
    /// </summary>
    public async Task<IReadOnlyList<AppProcess>> RestartAsync(DeploymentSpec spec, string? type, string? name, CancellationToken cancellationToken)
    {
        liveness.EnsureRunning();
        var byType = spec.Processes.ToDictionary(p => p.Type, StringComparer.Ordinal);
        var chosen = (await containers.ListProcessesAsync(spec.App, cancellationToken))
            .Where(c => ContainerLabels.Version(c.Labels) == spec.Version && c.State is "running" or "restarting")
            .Where(c => type is null || ContainerLabels.TypeOf(c.Labels) == type)
            .Where(c => name is null || Containers.NameOf(c) == name)
            .Where(c => byType.ContainsKey(ContainerLabels.TypeOf(c.Labels)))
            .ToList();
        if (chosen.Count == 0) return [];
        await containers.EnsureImageAsync(spec.Image, spec.PullCredentials, cancellationToken);
        try
        {
            var replaced = await Task.WhenAll(chosen
                .GroupBy(c => ContainerLabels.TypeOf(c.Labels))
                .Select(async group =>
                {
                    var fresh = new List<AppProcess>();
                    foreach (var old in group.OrderBy(c => c.Created))
                        fresh.Add(await ReplaceAsync(spec, byType[group.Key], old, cancellationToken));
                    return fresh;
                }));
            logger.LogInformation("Restarted {Count} process(es) of {App} v{Version}", chosen.Count, spec.App, spec.Version);
            return replaced.SelectMany(r => r).OrderBy(p => p.Type, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        }
        catch (DockerApiException e)
        {
            throw Refused(spec, e);
        }
    }

    private async Task<AppProcess> ReplaceAsync(DeploymentSpec spec, ProcessSpec process, ContainerListResponse old, CancellationToken ct)
    {
        var fresh = await StartAsync(spec, process, ct);
        ContainerInspectResponse? inspected;
        try
        {
            await readiness.WaitAsync(fresh, process.Healthcheck?.Readiness, ct);
            inspected = await containers.InspectAsync(fresh.Id, ct);
        }
        catch
        {
            await containers.RemoveAsync(fresh.Id, CancellationToken.None);
            throw;
        }
        await StopAsync([old], ct);
        return (inspected is null ? null : ToProcess(inspected))
            ?? throw new DeploymentFailedException($"{process.Type} process {fresh.Name} was removed while it replaced {Containers.NameOf(old)}.");
    }

    public Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken cancellationToken) =>
        oneOffs.RunAsync(spec, output, cancellationToken);

    public IAsyncEnumerable<LogLine> LogsAsync(string app, int lines, bool follow, CancellationToken cancellationToken) =>
        logs.ReadAsync(app, lines, follow, cancellationToken);

    private async Task<NewContainer> StartAsync(DeploymentSpec spec, ProcessSpec process, CancellationToken ct)
    {
        var created = await containers.CreateAsync($"{spec.App}-{process.Type}", process.Type,
            ContainerSpecs.ForProcess(spec, process, options.StopGraceSeconds), ct);
        await containers.StartAsync(created.Id, ct);
        return created;
    }

    /// <summary>
    /// Stops processes with their grace. Web ones first leave the route table (they list without an
    /// endpoint) and keep serving what routers still send them for the drain time.
    /// </summary>
    private async Task StopAsync(IReadOnlyCollection<ContainerListResponse> leaving, CancellationToken ct)
    {
        var web = leaving.Where(c => ContainerLabels.TypeOf(c.Labels) == ProcessTypes.Web && c.State == "running").Select(c => c.ID).ToList();
        try
        {
            if (web.Count > 0 && options.DrainDelay > TimeSpan.Zero)
            {
                foreach (var id in web) draining[id] = true;
                await Task.Delay(options.DrainDelay, ct);
            }
            await Task.WhenAll(leaving.Select(c => containers.StopAndRemoveAsync(c, options.StopGraceSeconds, ct)));
        }
        finally
        {
            foreach (var id in web) draining.TryRemove(id, out _);
        }
    }

    private static DeploymentFailedException Refused(DeploymentSpec spec, DockerApiException e) =>
        new($"The Docker engine refused to run {spec.App} v{spec.Version}: {DockerErrors.Message(e)}");

    /// <summary>A container that never started: no inspection needed.</summary>
    private static AppProcess ToProcess(ContainerListResponse c) =>
        new(c.Labels[ContainerLabels.App], ContainerLabels.TypeOf(c.Labels), Containers.NameOf(c), ContainerLabels.Version(c.Labels),
            ProcessState.Starting, new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)), null);

    private AppProcess? ToProcess(ContainerInspectResponse c)
    {
        var labels = c.Config.Labels;
        if (!labels.TryGetValue(ContainerLabels.App, out var app)) return null;
        var draining = this.draining.ContainsKey(c.ID);
        var state = c.State switch
        {
            { Restarting: true } => ProcessState.Crashed,
            { Running: true } when draining => ProcessState.Down,
            { Running: true } => ProcessState.Up,
            { Status: "created" } => ProcessState.Starting,
            { Status: "exited", ExitCode: 0 } => ProcessState.Down,
            _ => ProcessState.Crashed,
        };
        var address = Containers.AddressOf(c.NetworkSettings?.Networks);
        var endpoint = state == ProcessState.Up && address is not null ? $"{address}:{DeploymentSpec.WebPort}" : null;
        var started = Containers.StartedAt(c.State) ?? new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc));
        return new AppProcess(app, ContainerLabels.TypeOf(labels), c.Name.TrimStart('/'), ContainerLabels.Version(labels), state, started, endpoint,
            (int)c.RestartCount + liveness.EarlierRestarts(c.ID));
    }

    public async ValueTask DisposeAsync() => await liveness.DisposeAsync();

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
