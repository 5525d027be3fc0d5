using System.Globalization;
using Docker.DotNet.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>What Docker is asked to create for a process or a one-off: pure mappings from the spec.</summary>
internal static class ContainerSpecs
{
    /// <summary>An app process: restarted by Docker when it crashes, stopped with its own grace.</summary>
    public static CreateContainerParameters ForProcess(DeploymentSpec spec, ProcessSpec process, uint defaultGraceSeconds)
    {
        var grace = process.TerminationGraceSeconds is { } seconds ? (uint)Math.Max(0, seconds) : defaultGraceSeconds;
        var labels = new Dictionary<string, string>
        {
            [ContainerLabels.Heritage] = ContainerLabels.HeritageValue,
            [ContainerLabels.App] = spec.App,
            [ContainerLabels.Type] = process.Type,
            [ContainerLabels.Release] = spec.Version.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.Grace] = grace.ToString(CultureInfo.InvariantCulture),
        };
        if (process.Healthcheck?.Liveness is { } liveness) labels[ContainerLabels.Liveness] = ProbeJson.Write(liveness);
        return new CreateContainerParameters
        {
            Image = spec.Image,
            Env = Environment(spec.Environment, process.Type),
            Cmd = process.Command is null ? null : ["/bin/sh", "-c", process.Command],
            Labels = labels,
            // Also used by a plain `docker stop` (an operator's), not only by ours.
            StopTimeout = TimeSpan.FromSeconds(grace),
            HostConfig = WithLimits(new HostConfig
            {
                RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.UnlessStopped },
                // An init as PID 1 forwards SIGTERM, so processes stop promptly and cleanly.
                Init = true,
                LogConfig = LogConfig(),
            }, process.Limits),
        };
    }

    /// <summary>
    /// A one-off: never restarted, removed by the scheduler once it exited. Labelled like a process of
    /// type "run" (so `docker ps` reads naturally) and marked as a one-off, so no query for app
    /// processes takes it for one.
    /// </summary>
    public static CreateContainerParameters ForOneOff(OneOffSpec spec) => new()
    {
        Image = spec.Image,
        Env = Environment(spec.Environment, ContainerLabels.OneOffType),
        Cmd = ["/bin/sh", "-c", spec.Command],
        AttachStdout = true,
        AttachStderr = true,
        Labels = new Dictionary<string, string>
        {
            [ContainerLabels.Heritage] = ContainerLabels.HeritageValue,
            [ContainerLabels.App] = spec.App,
            [ContainerLabels.Type] = ContainerLabels.OneOffType,
            [ContainerLabels.Release] = spec.Version.ToString(CultureInfo.InvariantCulture),
            [ContainerLabels.OneOff] = "true",
        },
        HostConfig = WithLimits(new HostConfig
        {
            RestartPolicy = new RestartPolicy { Name = RestartPolicyKind.No },
            Init = true,
            LogConfig = LogConfig(),
        }, spec.Limits),
    };

    /// <summary>Memory is a hard limit (swap equal to it, so none on top); CPU is a share of cores.</summary>
    public static HostConfig WithLimits(HostConfig host, ResourceLimits? limits)
    {
        if (limits?.MemoryBytes is { } bytes)
        {
            host.Memory = bytes;
            host.MemorySwap = bytes;
        }
        if (limits?.CpuMillis is { } millis) host.NanoCPUs = millis * 1_000_000L;
        return host;
    }

    private static List<string> Environment(IReadOnlyDictionary<string, string> environment, string type) =>
        environment.Select(kv => $"{kv.Key}={kv.Value}").Append($"PAAS_PROCESS_TYPE={type}").ToList();

    private static LogConfig LogConfig() =>
        new() { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "3" } };
}
