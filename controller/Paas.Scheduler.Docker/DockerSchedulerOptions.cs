using Docker.DotNet;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

public sealed class DockerSchedulerOptions
{
    /// <summary>The engine's address (DOCKER_HOST), e.g. unix:///var/lib/paas/docker/docker.sock.</summary>
    public string Host { get; init; } = "unix:///var/run/docker.sock";

    /// <summary>How long a new web process may take to accept connections (PAAS_DEPLOY_TIMEOUT, seconds).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>SIGTERM to SIGKILL when stopping a process whose type sets no termination grace period.</summary>
    public uint StopGraceSeconds { get; init; } = 10;

    /// <summary>
    /// How long a web process replaced by a restart (or scaled away) keeps serving after it left the route
    /// table, so routers have picked up the change before it stops (PAAS_DRAIN_SECONDS, as for deploys).
    /// </summary>
    public TimeSpan DrainDelay { get; init; } = TimeSpan.FromSeconds(3);
}

public static class DockerSchedulerRegistration
{
    public static IServiceCollection AddDockerScheduler(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new DockerSchedulerOptions
        {
            Host = configuration["DOCKER_HOST"] is { Length: > 0 } host ? host : "unix:///var/run/docker.sock",
            ReadyTimeout = TimeSpan.FromSeconds(Seconds(configuration["PAAS_DEPLOY_TIMEOUT"]) ?? 60),
            DrainDelay = TimeSpan.FromSeconds(Seconds(configuration["PAAS_DRAIN_SECONDS"]) ?? 3),
        };
        services.AddSingleton(options);
        services.AddSingleton<IDockerClient>(_ => new DockerClientConfiguration(new Uri(options.Host)).CreateClient());
        services.AddSingleton<IScheduler, DockerScheduler>();
        return services;
    }

    private static double? Seconds(string? text) =>
        double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? seconds : null;
}
