using k8s.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>What `ps` shows for a pod: a pure mapping of its status.</summary>
public static class PodProcesses
{
    /// <summary>Waiting reasons after which the container will not run without someone changing something.</summary>
    public static readonly IReadOnlySet<string> Stuck = new HashSet<string>(StringComparer.Ordinal)
    {
        "CrashLoopBackOff", "ImagePullBackOff", "ErrImagePull", "ErrImageNeverPull", "InvalidImageName",
        "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    /// <param name="endpoint">Where the router reaches the pod's type (its Service: web's, or a routed type's), if it has one.</param>
    public static AppProcess? ToProcess(V1Pod pod, string? endpoint)
    {
        var labels = pod.Metadata?.Labels;
        if (Names.Label(labels, Names.AppLabel) is not { } app || Names.Label(labels, Names.TypeLabel) is not { } type) return null;
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var state = StateOf(pod, container);
        var started = container?.State?.Running?.StartedAt ?? pod.Status?.StartTime ?? pod.Metadata?.CreationTimestamp ?? DateTime.UnixEpoch;
        var restarts = pod.Status?.ContainerStatuses?.Sum(c => c.RestartCount) ?? 0;
        return new AppProcess(app, type, pod.Metadata!.Name, Names.VersionOf(labels), state,
            new DateTimeOffset(DateTime.SpecifyKind(started, DateTimeKind.Utc)),
            state == ProcessState.Up ? endpoint : null, restarts);
    }

    public static ProcessState StateOf(V1Pod pod, V1ContainerStatus? container)
    {
        if (pod.Metadata?.DeletionTimestamp is not null) return ProcessState.Down;
        switch (pod.Status?.Phase)
        {
            case "Succeeded":
                return ProcessState.Down;
            case "Failed":
                return ProcessState.Crashed;
        }
        if (container is null) return ProcessState.Starting;
        if (container.State?.Waiting?.Reason is { } reason && Stuck.Contains(reason)) return ProcessState.Crashed;
        if (container.State?.Terminated is not null) return ProcessState.Crashed;
        if (container.State?.Running is not null) return container.Ready ? ProcessState.Up : ProcessState.Starting;
        return ProcessState.Starting;
    }
}
