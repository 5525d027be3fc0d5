using System.Diagnostics;
using System.Net;
using System.Text;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// `paas run`: a pod &lt;app&gt;-run-&lt;suffix&gt; from the release's image with its config, restartPolicy Never.
/// Its output is followed from its first byte (the pod's log) and passed on as it comes; its exit code is the
/// container's. The pod is deleted afterwards: when it ended, timed out, or the caller gave up.
/// </summary>
internal sealed class OneOffPods(KubernetesApi api, KubernetesSchedulerOptions options, Rollouts rollouts, ILogger logger)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The exit code of a command stopped after its timeout, as coreutils' timeout(1) uses.</summary>
    public const int TimedOutExitCode = 124;

    public async Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken ct)
    {
        var timeout = spec.Timeout ?? DefaultTimeout;
        var ns = Names.Namespace(spec.App);
        // The release's config is the environment, and its pull secret the image's login; applying them again
        // changes nothing when the release's deploy made them.
        await api.ApplyAsync(AppManifests.ReleaseSecret(spec.App, spec.Version, spec.Environment, options.Platform), ct);
        var registry = AppManifests.RegistrySecret(spec.App, spec.Version, spec.Image, spec.PullCredentials, options.Platform);
        if (registry is not null) await api.ApplyAsync(registry, ct);
        var pod = await CreateAsync(spec, timeout, registry is not null, ct);
        var name = pod.Metadata.Name;
        try
        {
            await WaitUntilStartedAsync(pod, ct);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            var relay = new OutputRelay(output);
            try
            {
                await FollowAsync(name, ns, relay, limit.Token);
                return await ExitCodeAsync(name, ns, limit.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                logger.LogInformation("One-off {Pod} of {App} stopped after its timeout of {Timeout}", name, spec.App, timeout);
                await relay.WriteLineAsync($"Stopped after {Describe(timeout)}, the time a one-off process may run (exit code {TimedOutExitCode}).");
                return TimedOutExitCode;
            }
        }
        finally
        {
            // No grace: the command is abandoned (or already ended), and its pod must not outlive the request.
            try
            {
                await api.DeleteAsync(V1Pod.KubeKind, ns, name, CancellationToken.None, gracePeriodSeconds: 0);
            }
            catch (KubernetesApiException e)
            {
                logger.LogWarning("Could not delete the one-off pod {Namespace}/{Pod}: {Reason}", ns, name, e.Message);
            }
        }
    }

    /// <summary>
    /// Creates the pod with a fresh suffix. In a namespace made moments ago the default service account may not
    /// exist yet, and the API refuses pods until it does: that is retried for a while.
    /// </summary>
    private async Task<V1Pod> CreateAsync(OneOffSpec spec, TimeSpan timeout, bool registrySecret, CancellationToken ct)
    {
        var ns = Names.Namespace(spec.App);
        var started = Stopwatch.GetTimestamp();
        for (var attempt = 0; ; attempt++)
        {
            var manifest = AppManifests.OneOff(spec, $"{spec.App}-{Names.OneOffType}-{Suffix()}", timeout + TimeSpan.FromMinutes(1), registrySecret,
                options.Platform);
            try
            {
                return await api.CallAsync($"create pod {ns}/{manifest.Metadata.Name}", ct,
                    () => api.Client.CoreV1.CreateNamespacedPodAsync(manifest, ns, fieldManager: Names.FieldManager, cancellationToken: ct));
            }
            catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Conflict && attempt < 3)
            {
                // a name collision: another suffix
            }
            catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Forbidden && e.Message.Contains("serviceaccount", StringComparison.OrdinalIgnoreCase)
                                                   && Stopwatch.GetElapsedTime(started) < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(options.PollInterval, ct);
            }
        }
    }

    /// <summary>Until the container ran (or ended); a pod that cannot start (image, config) fails with what Kubernetes said.</summary>
    private async Task WaitUntilStartedAsync(V1Pod created, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var pod = await api.CallAsync($"read pod {created.Metadata.NamespaceProperty}/{created.Metadata.Name}", ct,
                () => api.Client.CoreV1.ReadNamespacedPodAsync(created.Metadata.Name, created.Metadata.NamespaceProperty, cancellationToken: ct));
            var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
            if (container?.State?.Running is not null || container?.State?.Terminated is not null || pod.Status?.Phase is "Succeeded" or "Failed")
                return;
            if (container?.State?.Waiting?.Reason is { } reason && reason != "ErrImagePull" && PodProcesses.Stuck.Contains(reason))
                throw new DeploymentFailedException(await rollouts.DescribeAsync(pod, "could not start", ct));
            if (Stopwatch.GetElapsedTime(started) > options.ReadyTimeout)
                throw new DeploymentFailedException(await rollouts.DescribeAsync(pod, $"did not start within {options.ReadyTimeout.TotalSeconds:0.#} s", ct));
            await Task.Delay(options.PollInterval, ct);
        }
    }

    private async Task FollowAsync(string name, string ns, OutputRelay relay, CancellationToken ct)
    {
        await using var stream = await api.CallAsync($"read the output of pod {ns}/{name}", ct,
            () => api.Client.CoreV1.ReadNamespacedPodLogAsync(name, ns, container: Names.OneOffType, follow: true, cancellationToken: ct));
        await relay.CopyAsync(stream, ct);
    }

    /// <summary>The log ends when the process does; the pod's status says so a moment later.</summary>
    private async Task<int> ExitCodeAsync(string name, string ns, CancellationToken ct)
    {
        while (true)
        {
            var pod = await api.CallAsync($"read pod {ns}/{name}", ct,
                () => api.Client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: ct));
            if (pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Terminated is { } terminated) return terminated.ExitCode;
            if (pod.Status?.Phase == "Failed") return pod.Status.Reason == "DeadlineExceeded" ? TimedOutExitCode : 1;
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }

    private static string Suffix() =>
        string.Create(5, 0, (span, _) =>
        {
            const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        });

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}"
        : $"{span.TotalSeconds:0.#} second{(span.TotalSeconds == 1 ? "" : "s")}";

    /// <summary>Decodes UTF-8 (a character split across reads stays whole) and passes each chunk on as it arrives.</summary>
    private sealed class OutputRelay(Func<string, Task> output)
    {
        private readonly Decoder decoder = Encoding.UTF8.GetDecoder();
        private bool atLineStart = true;

        public async Task CopyAsync(Stream stream, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
            {
                var count = decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                if (count > 0) await WriteAsync(new string(chars, 0, count));
            }
        }

        public Task WriteLineAsync(string line) => WriteAsync((atLineStart ? "" : "\n") + line + "\n");

        private Task WriteAsync(string text)
        {
            atLineStart = text.EndsWith('\n');
            return output(text);
        }
    }
}
