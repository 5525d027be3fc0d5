using System.Diagnostics;
using System.Globalization;
using System.Text;
using k8s;
using k8s.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// Waits until Deployments run their current template on every replica, all ready and the old pods gone,
/// as `kubectl rollout status` does. Fails early when a new pod cannot get going without someone changing
/// something (it keeps crashing, its image cannot be pulled), and otherwise after the timeout; either way
/// the message says what was seen: each unready pod's state, its recent warnings and its last output.
/// </summary>
internal sealed class Rollouts(KubernetesApi api, KubernetesSchedulerOptions options)
{
    private const int OutputLines = 20;

    public async Task WaitAsync(string app, IReadOnlyCollection<string> deployments, int version, CancellationToken ct)
    {
        if (deployments.Count == 0) return;
        var ns = Names.Namespace(app);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var live = (await api.CallAsync($"list the Deployments of {app}", ct,
                    () => api.Client.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: Names.Everything, cancellationToken: ct)))
                .Items.ToDictionary(d => d.Metadata.Name, StringComparer.Ordinal);
            var missing = deployments.Where(name => !live.ContainsKey(name)).ToList();
            if (missing.Count > 0)
                throw new DeploymentFailedException($"Deployment {string.Join(", ", missing)} of {app} was deleted while it rolled out.");
            var pending = deployments.Select(name => live[name]).Where(d => !Complete(d)).ToList();
            if (pending.Count == 0) return;

            var pods = (await api.CallAsync($"list the pods of {app}", ct,
                () => api.Client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: Names.Processes, cancellationToken: ct))).Items;
            var unready = pending.SelectMany(d => NewPods(d, pods, version)).Where(p => !IsReady(p)).ToList();
            if (unready.FirstOrDefault(GaveUp) is { } stuck)
                throw new DeploymentFailedException(await DescribeAsync(stuck, "could not start", ct));
            if (Stopwatch.GetElapsedTime(started) > options.ReadyTimeout)
            {
                var within = $"did not become ready within {options.ReadyTimeout.TotalSeconds:0.#} s";
                throw new DeploymentFailedException(unready.FirstOrDefault() is { } pod
                    ? await DescribeAsync(pod, within, ct)
                    : $"{string.Join(", ", pending.Select(Progress))} {within}. {Conditions(pending)}".TrimEnd());
            }
            await Task.Delay(options.PollInterval, ct);
        }
    }

    /// <summary>`kubectl rollout status`'s test: the controller saw the latest spec, every replica runs it and is available, no old ones are left.</summary>
    public static bool Complete(V1Deployment deployment)
    {
        var status = deployment.Status;
        if (status is null || (deployment.Metadata.Generation ?? 0) > (status.ObservedGeneration ?? 0)) return false;
        var desired = deployment.Spec.Replicas ?? 1;
        var updated = status.UpdatedReplicas ?? 0;
        return updated >= desired && (status.Replicas ?? 0) <= updated && (status.AvailableReplicas ?? 0) >= updated;
    }

    /// <summary>The pods of a Deployment's type that run release <paramref name="version"/>, oldest first.</summary>
    private static IEnumerable<V1Pod> NewPods(V1Deployment deployment, IEnumerable<V1Pod> pods, int version)
    {
        var type = Names.Label(deployment.Metadata.Labels, Names.TypeLabel);
        return pods.Where(p => Names.Label(p.Metadata.Labels, Names.TypeLabel) == type && Names.VersionOf(p.Metadata.Labels) == version
                               && p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Metadata.CreationTimestamp);
    }

    private static bool IsReady(V1Pod pod) => pod.Status?.ContainerStatuses is { Count: > 0 } statuses && statuses.All(c => c.Ready);

    /// <summary>
    /// The pod will not become ready by waiting: the kubelet backs off restarting or pulling, or the process
    /// exited (before it was ready, as the pod is not) and has not been started again yet.
    /// ErrImagePull alone is not enough: a registry that hiccuped gets a second try.
    /// </summary>
    public static bool GaveUp(V1Pod pod)
    {
        if (pod.Status?.Phase is "Failed") return true;
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        if (container is null) return false;
        if (container.State?.Waiting?.Reason is { } reason && reason != "ErrImagePull" && PodProcesses.Stuck.Contains(reason)) return true;
        return container.RestartCount > 0 && container.State?.Running is null && container.LastState?.Terminated is not null;
    }

    private static string Progress(V1Deployment d) =>
        $"{Names.Label(d.Metadata.Labels, Names.TypeLabel)} ({d.Status?.UpdatedReplicas ?? 0} of {d.Spec.Replicas ?? 1} updated, {d.Status?.AvailableReplicas ?? 0} available)";

    private static string Conditions(IEnumerable<V1Deployment> deployments) =>
        string.Join(" ", deployments.SelectMany(d => d.Status?.Conditions ?? []).Where(c => c.Status != "True" && c.Message is not null)
            .Select(c => c.Message!.TrimEnd('.') + "."));

    /// <summary>What went wrong with one pod, in the words of the Docker backend's messages where they apply.</summary>
    public async Task<string> DescribeAsync(V1Pod pod, string what, CancellationToken ct)
    {
        var type = Names.Label(pod.Metadata.Labels, Names.TypeLabel) ?? "?";
        var name = pod.Metadata.Name;
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var text = new StringBuilder();
        var exited = container?.State?.Terminated ?? container?.LastState?.Terminated;
        if (exited is not null && (container?.RestartCount > 0 || container?.State?.Terminated is not null))
            text.Append(CultureInfo.InvariantCulture, $"{type} process {name} exited with code {exited.ExitCode}{Reason(exited.Reason)} before it was ready");
        else
            text.Append(CultureInfo.InvariantCulture, $"{type} process {name} {what}");
        text.Append(": ").Append(State(pod, container)).Append('.');
        var warnings = await WarningsAsync(pod, ct);
        if (warnings.Count > 0) text.Append("\nKubernetes said: ").AppendJoin("\n  ", warnings);
        if (container is null && pod.Spec?.NodeSelector is { Count: > 0 } selector)
            text.Append("\nIts tags select nodes labelled ")
                .AppendJoin(", ", selector.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key}={t.Value}"))
                .Append(": does a node have them (kubectl get nodes --show-labels)?");
        if (container?.State?.Running is not null && !container.Ready && type == ProcessTypes.Web
            && pod.Spec?.Containers?.FirstOrDefault()?.ReadinessProbe?.TcpSocket is not null)
            text.Append(CultureInfo.InvariantCulture, $"\nDoes it listen on $PORT ({DeploymentSpec.WebPort})?");
        text.Append("\nIts last output:\n").Append(await OutputAsync(pod, container, ct));
        return text.ToString();
    }

    private static string Reason(string? reason) => string.IsNullOrEmpty(reason) ? "" : $" ({reason})";

    private static string State(V1Pod pod, V1ContainerStatus? container)
    {
        if (container is null)
        {
            var unscheduled = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status != "True");
            return unscheduled is not null ? $"not scheduled ({unscheduled.Reason}: {unscheduled.Message})" : $"pending ({pod.Status?.Phase ?? "unknown"})";
        }
        var restarts = container.RestartCount > 0 ? $", restarted {container.RestartCount} time{(container.RestartCount == 1 ? "" : "s")}" : "";
        return container.State switch
        {
            { Waiting: { } waiting } => $"waiting ({waiting.Reason}{(waiting.Message is null ? "" : ": " + waiting.Message)}){restarts}",
            { Terminated: { } done } => $"exited with code {done.ExitCode}{Reason(done.Reason)}{restarts}",
            { Running: not null } => $"running but not ready{restarts}",
            _ => $"in an unknown state{restarts}",
        };
    }

    /// <summary>The pod's recent warning events (failed probes, pulls, scheduling), newest last, without repeats.</summary>
    private async Task<List<string>> WarningsAsync(V1Pod pod, CancellationToken ct)
    {
        try
        {
            var events = await api.CallAsync($"list the events of pod {pod.Metadata.Name}", ct,
                () => api.Client.CoreV1.ListNamespacedEventAsync(pod.Metadata.NamespaceProperty,
                    fieldSelector: $"involvedObject.name={pod.Metadata.Name}", cancellationToken: ct));
            return events.Items.Where(e => e.Type == "Warning")
                .OrderBy(e => e.LastTimestamp ?? e.EventTime ?? e.Metadata.CreationTimestamp)
                .Select(e => $"{e.Reason}: {e.Message?.Trim()}{(e.Count > 1 ? $" (x{e.Count})" : "")}")
                .Distinct().TakeLast(5).ToList();
        }
        catch (KubernetesApiException)
        {
            return []; // the description is best effort; the failure itself is what matters
        }
    }

    /// <summary>The last lines the process wrote; those of its previous run when it was restarted.</summary>
    private async Task<string> OutputAsync(V1Pod pod, V1ContainerStatus? container, CancellationToken ct)
    {
        if (container is null || container.State?.Waiting is not null && container.RestartCount == 0) return "(none: it never started)";
        var previous = container.State?.Running is null && container.State?.Terminated is null && container.RestartCount > 0;
        try
        {
            await using var stream = await api.Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                container: container.Name, previous: previous, tailLines: OutputLines, cancellationToken: ct);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = (await reader.ReadToEndAsync(ct)).TrimEnd();
            return text.Length == 0 ? "(no output)" : text;
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException)
        {
            return "(its output could not be read)";
        }
    }
}
