using System.Globalization;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>
/// The single-host backend: every process is a container on one Docker engine, labelled with its
/// app, process type and release. Web processes are reached on their container address (the
/// bridge network is routable from the host, where the router runs), port $PORT.
/// Docker restarts crashed containers (restart policy unless-stopped).
/// </summary>
public sealed class DockerScheduler(IDockerClient docker, DockerSchedulerOptions options, ILogger<DockerScheduler> logger) : IScheduler
{
    private const string Heritage = "paas.heritage";
    private const string AppLabel = "paas.app";
    private const string TypeLabel = "paas.type";
    private const string ReleaseLabel = "paas.release";

    public string Name => "docker";

    public SchedulerFeatures Features { get; } = new(NodeSelection: false, Autoscaling: false);

    public Task<IReadOnlyList<AppProcess>> RestartAsync(DeploymentSpec spec, string? type, string? name, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public IAsyncEnumerable<LogLine> LogsAsync(string app, int lines, bool follow, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    public async Task DeployAsync(DeploymentSpec spec, CancellationToken cancellationToken)
    {
        await EnsureImageAsync(spec.Image, cancellationToken);
        var existing = await ListContainersAsync(spec.App, cancellationToken);
        var mine = existing.Where(c => Version(c) == spec.Version).ToList();
        var started = new List<(string Id, string Name, string Type)>();
        try
        {
            foreach (var process in spec.Processes)
            {
                var current = mine.Where(c => c.Labels[TypeLabel] == process.Type).OrderBy(c => c.Created).ToList();
                // Containers Docker gave up on (exited, dead) are replaced rather than counted.
                var alive = current.Where(c => c.State is "running" or "restarting" or "created").ToList();
                foreach (var gone in current.Except(alive)) await RemoveAsync(gone.ID, cancellationToken);
                for (var i = alive.Count; i < process.Replicas; i++)
                    started.Add(await StartAsync(spec, process, cancellationToken));
                foreach (var extra in alive.Skip(process.Replicas).Reverse())
                    await StopAndRemoveAsync(extra.ID, cancellationToken);
            }
            // Process types the release no longer has.
            var types = spec.Processes.Select(p => p.Type).ToHashSet(StringComparer.Ordinal);
            foreach (var orphan in mine.Where(c => !types.Contains(c.Labels[TypeLabel])))
                await StopAndRemoveAsync(orphan.ID, cancellationToken);

            await Task.WhenAll(started.Select(s => WaitReadyAsync(s.Id, s.Name, s.Type, cancellationToken)));
        }
        catch (Exception e) when (e is DeploymentFailedException or DockerApiException)
        {
            // Leave nothing half-made behind: the previous release keeps serving on its own.
            foreach (var s in started) await RemoveAsync(s.Id, CancellationToken.None);
            if (e is DockerApiException api) throw new DeploymentFailedException($"The Docker engine refused to run {spec.App} v{spec.Version}: {api.ResponseBody.Trim()}");
            throw;
        }
    }

    public async Task RetireAsync(string app, int keepVersion, CancellationToken cancellationToken)
    {
        var old = (await ListContainersAsync(app, cancellationToken)).Where(c => Version(c) != keepVersion).ToList();
        await Task.WhenAll(old.Select(c => StopAndRemoveAsync(c.ID, cancellationToken)));
        if (old.Count > 0) logger.LogInformation("Stopped {Count} process(es) of {App} not in v{Version}", old.Count, app, keepVersion);
    }

    public async Task DestroyAsync(string app, CancellationToken cancellationToken)
    {
        var all = await ListContainersAsync(app, cancellationToken);
        await Task.WhenAll(all.Select(c => RemoveAsync(c.ID, cancellationToken)));
    }

    public async Task<IReadOnlyList<AppProcess>> ListAsync(string? app, CancellationToken cancellationToken)
    {
        var containers = await ListContainersAsync(app, cancellationToken);
        return containers.Select(ToProcess).OrderBy(p => p.App).ThenBy(p => p.Type).ThenBy(p => p.Name).ToList();
    }

    private static AppProcess ToProcess(ContainerListResponse c)
    {
        var state = c.State switch
        {
            "running" => ProcessState.Up,
            "created" => ProcessState.Starting,
            "restarting" => ProcessState.Crashed,
            "exited" when c.Status.StartsWith("Exited (0)", StringComparison.Ordinal) => ProcessState.Down,
            _ => ProcessState.Crashed,
        };
        var address = c.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
        var endpoint = state == ProcessState.Up && address is not null ? $"{address}:{DeploymentSpec.WebPort}" : null;
        return new AppProcess(c.Labels[AppLabel], c.Labels[TypeLabel], c.Names.First().TrimStart('/'), Version(c), state,
            new DateTimeOffset(DateTime.SpecifyKind(c.Created, DateTimeKind.Utc)), endpoint);
    }

    private static int Version(ContainerListResponse c) =>
        c.Labels.TryGetValue(ReleaseLabel, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var v) ? v : 0;

    private async Task<IList<ContainerListResponse>> ListContainersAsync(string? app, CancellationToken ct)
    {
        var labels = new Dictionary<string, bool> { [$"{Heritage}=paas"] = true };
        if (app is not null) labels[$"{AppLabel}={app}"] = true;
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, ct);
    }

    private async Task EnsureImageAsync(string image, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, ct);
        }
        catch (DockerImageNotFoundException)
        {
            var (repository, tag) = SplitImage(image);
            try
            {
                await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, null, new Progress<JSONMessage>(), ct);
            }
            catch (DockerApiException e)
            {
                throw new DeploymentFailedException($"Could not pull image {image}: {e.ResponseBody.Trim()}");
            }
        }
    }

    internal static (string Repository, string Tag) SplitImage(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) return (image[..at], image[(at + 1)..]);
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    private async Task<(string Id, string Name, string Type)> StartAsync(DeploymentSpec spec, ProcessSpec process, CancellationToken ct)
    {
        var environment = spec.Environment.Select(kv => $"{kv.Key}={kv.Value}").Append($"PAAS_PROCESS_TYPE={process.Type}").ToList();
        for (var attempt = 0; ; attempt++)
        {
            var name = $"{spec.App}-{process.Type}-{Suffix()}";
            try
            {
                var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
                {
                    Name = name,
                    Image = spec.Image,
                    Env = environment,
                    Cmd = process.Command is null ? null : ["/bin/sh", "-c", process.Command],
                    Labels = new Dictionary<string, string>
                    {
                        [Heritage] = "paas",
                        [AppLabel] = spec.App,
                        [TypeLabel] = process.Type,
                        [ReleaseLabel] = spec.Version.ToString(CultureInfo.InvariantCulture),
                    },
                    HostConfig = new HostConfig
                    {
                        RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                        // An init as PID 1 forwards SIGTERM, so processes stop promptly and cleanly.
                        Init = true,
                        LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" } },
                    },
                }, ct);
                await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), ct);
                return (created.ID, name, process.Type);
            }
            catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.Conflict && attempt < 3)
            {
                // a name collision: pick another suffix
            }
        }
    }

    private static string Suffix() =>
        string.Create(5, 0, (span, _) =>
        {
            const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        });

    /// <summary>
    /// Web processes are ready when their port accepts a connection; other types once they run.
    /// A process that exits (Docker then restarts it) or stays unready past the timeout fails the deploy.
    /// </summary>
    private async Task WaitReadyAsync(string id, string name, string type, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + options.ReadyTimeout;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var state = await docker.Containers.InspectContainerAsync(id, ct);
            if (state.RestartCount > 0 || state.State is { Running: false, Restarting: false, Status: "exited" or "dead" } || state.State.Restarting)
                throw new DeploymentFailedException(
                    $"{type} process {name} exited with code {state.State.ExitCode} before it was ready. Its last output:\n{await TailAsync(id)}");
            if (state.State.Running)
            {
                if (type != "web") return;
                var address = state.NetworkSettings?.Networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
                if (address is not null && await AcceptsAsync(address, DeploymentSpec.WebPort, ct)) return;
            }
            if (DateTimeOffset.UtcNow > deadline)
                throw new DeploymentFailedException(
                    $"web process {name} did not accept connections on port {DeploymentSpec.WebPort} within {options.ReadyTimeout.TotalSeconds:0} s. " +
                    $"Does it listen on $PORT? Its last output:\n{await TailAsync(id)}");
            await Task.Delay(100, ct);
        }
    }

    private static async Task<bool> AcceptsAsync(string address, int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(address, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<string> TailAsync(string id, int lines = 20)
    {
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(id, false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(CultureInfo.InvariantCulture) }, CancellationToken.None);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
            var text = (stdout + stderr).TrimEnd();
            return text.Length == 0 ? "(no output)" : text;
        }
        catch (DockerApiException)
        {
            return "(its output could not be read)";
        }
    }

    private async Task StopAndRemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = options.StopGraceSeconds }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return;
        }
        await RemoveAsync(id, ct);
    }

    private async Task RemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            // already gone
        }
    }
}
