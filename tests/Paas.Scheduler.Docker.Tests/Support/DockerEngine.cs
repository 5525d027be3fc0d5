using Docker.DotNet;
using Microsoft.Extensions.Logging;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Testing;

namespace Paas.Scheduler.Docker.Tests.Support;

/// <summary>
/// A Docker engine of its own for a test collection: dockerd started by scripts/svc in a temporary
/// directory, the busybox base image imported (nothing can be pulled) and the test app image built on it.
/// Each collection has one, so collections run in parallel without seeing each other's containers.
/// </summary>
public sealed class DockerEngine : IAsyncLifetime
{
    /// <summary>
    /// busybox httpd serving /www on $PORT (the image's CMD), with a CGI health endpoint at
    /// /cgi-bin/health that answers 500 until /tmp/healthy exists, then 200.
    /// </summary>
    public const string Image = "paas-test/web:latest";

    public const string Serve = "exec httpd -f -p $PORT -h /www";
    public const string ServeHealthy = "touch /tmp/healthy; exec httpd -f -p $PORT -h /www";
    public const string HealthPath = "/cgi-bin/health";

    private const string HealthScript = """
        #!/bin/sh
        if [ -f /tmp/healthy ]; then printf 'Status: 200 OK\r\nContent-Type: text/plain\r\n\r\nok\n'
        else printf 'Status: 500 Sick\r\nContent-Type: text/plain\r\n\r\nsick\n'; fi

        """;

    private readonly string directory = Path.Combine("/tmp", "paas-docker-test-" + Guid.NewGuid().ToString("N")[..8]);
    private DockerClient? client;

    public string Host { get; private set; } = "";

    public IDockerClient Docker => client ?? throw new InvalidOperationException("The engine is not started.");

    public LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        // dockerd runs container processes as other users, which must reach into the directory.
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var started = (await Svc("start", "dockerd", directory)).ShouldSucceed("svc start dockerd");
        Host = started.Stdout.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("DOCKER_HOST=", StringComparison.Ordinal))["DOCKER_HOST=".Length..];
        (await Svc("base-image", Host)).ShouldSucceed("svc base-image");
        client = new DockerClientConfiguration(new Uri(Host)).CreateClient();
        await BuildImageAsync();
    }

    public async Task DisposeAsync()
    {
        client?.Dispose();
        await Svc("stop", "dockerd", directory);
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // a mount dockerd left behind; /tmp is cleaned eventually
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static Task<CommandResult> Svc(params string[] args) =>
        Processes.RunAsync(RepoPaths.Script("svc"), args, RepoPaths.Root, new Dictionary<string, string?> { ["SVC_QUIET"] = "1" }, TimeSpan.FromMinutes(2));

    private async Task BuildImageAsync()
    {
        var context = Path.Combine(directory, "image");
        Directory.CreateDirectory(Path.Combine(context, "www", "cgi-bin"));
        await File.WriteAllTextAsync(Path.Combine(context, "www", "index.html"), "hello\n");
        var health = Path.Combine(context, "www", "cgi-bin", "health");
        await File.WriteAllTextAsync(health, HealthScript.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(health, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(context, "Dockerfile"),
            "FROM paas/busybox\nCOPY www /www\nCMD [\"sh\", \"-c\", \"exec httpd -f -p $PORT -h /www\"]\n");
        (await Cli("build", "-q", "-t", Image, context)).ShouldSucceed("docker build");
    }

    /// <summary>The docker CLI against this engine, as an operator would use it.</summary>
    public Task<CommandResult> Cli(params string[] args) =>
        Processes.RunAsync("docker", args, environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = Host }, timeout: TimeSpan.FromMinutes(2));

    /// <summary>A scheduler as the controller makes one, with short waits so failures show quickly.</summary>
    public DockerScheduler Scheduler(TimeSpan? readyTimeout = null, TimeSpan? drain = null) =>
        new(Docker, new DockerSchedulerOptions
        {
            Host = Host,
            ReadyTimeout = readyTimeout ?? TimeSpan.FromSeconds(20),
            DrainDelay = drain ?? TimeSpan.FromMilliseconds(200),
            StopGraceSeconds = 2,
        }, Logs.CreateLogger<DockerScheduler>());

    public static string NewApp(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A release of the test image; PORT is set as the controller sets it.</summary>
    public static DeploymentSpec Spec(string app, int version, params ProcessSpec[] processes) =>
        new(app, version, Image, new Dictionary<string, string> { ["PORT"] = "5000", ["GREETING"] = "hello from config" }, processes);

    public static ProcessSpec Web(int replicas = 1, string command = Serve, Healthcheck? healthcheck = null, ResourceLimits? limits = null, int? grace = null) =>
        new(ProcessTypes.Web, command, replicas, limits, healthcheck, grace);

    public static ProcessSpec Worker(string command, int replicas = 1, Healthcheck? healthcheck = null) =>
        new("worker", command, replicas, Healthcheck: healthcheck);
}
