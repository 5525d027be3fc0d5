using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// An app's log from its pods (never one-offs), line by line with the kubelet's timestamps: first the last
/// lines of every pod, merged by time; then, when following, each pod's new lines as they come, including
/// pods that start later (a rollout, a scale), found by looking at the app's pods every second.
/// A container that restarted is followed again from its last line.
/// </summary>
internal sealed class PodLogs(KubernetesApi api)
{
    private static readonly TimeSpan LookForNewPods = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<LogLine> ReadAsync(string app, int lines, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        var start = DateTimeOffset.UtcNow;
        var pods = await ListAsync(app, ct);
        var tails = await Task.WhenAll(pods.Select(p => TailAsync(p, lines, ct)));
        var positions = new ConcurrentDictionary<string, Position>(StringComparer.Ordinal);
        foreach (var (pod, tail) in pods.Zip(tails))
            positions[pod.Metadata.Uid] = tail.Aggregate(new Position(start), (position, line) => position.After(line.Time));
        foreach (var line in tails.SelectMany(t => t).OrderBy(l => l.Time).TakeLast(Math.Max(0, lines)))
            yield return line;
        if (!follow) yield break;

        var channel = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var following = FollowAllAsync(app, start, positions, channel.Writer, stop.Token);
        try
        {
            await foreach (var line in channel.Reader.ReadAllAsync(ct))
                yield return line;
        }
        finally
        {
            await stop.CancelAsync();
            await following;
        }
    }

    private async Task<IList<V1Pod>> ListAsync(string app, CancellationToken ct) =>
        (await api.CallAsync($"list the pods of {app}", ct,
            () => api.Client.CoreV1.ListNamespacedPodAsync(Names.Namespace(app), labelSelector: Names.Processes, cancellationToken: ct))).Items;

    private async Task<List<LogLine>> TailAsync(V1Pod pod, int lines, CancellationToken ct)
    {
        var result = new List<LogLine>();
        if (!Started(pod)) return result;
        await ReadLinesAsync(pod, follow: false, sinceSeconds: null, tailLines: Math.Max(0, lines), result.Add, ct);
        return result;
    }

    /// <summary>Keeps a follower per pod; one whose stream ended (the container stopped) is followed again once it runs.</summary>
    private async Task FollowAllAsync(string app, DateTimeOffset start, ConcurrentDictionary<string, Position> positions,
        ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        var followers = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var pod in await ListAsync(app, ct))
                {
                    if (!Started(pod)) continue;
                    var uid = pod.Metadata.Uid;
                    var running = pod.Status?.ContainerStatuses?.FirstOrDefault()?.State?.Running is not null;
                    if (followers.TryGetValue(uid, out var follower) && (!follower.IsCompleted || !running)) continue;
                    var position = positions.GetValueOrDefault(uid) ?? new Position(start);
                    followers[uid] = FollowAsync(pod, position, p => positions[uid] = p, writer, ct);
                }
                await Task.Delay(LookForNewPods, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the reader went away
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
        finally
        {
            await Task.WhenAll(followers.Values);
            writer.TryComplete();
        }
    }

    private async Task FollowAsync(V1Pod pod, Position from, Action<Position> moved, ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        var position = from;
        var repeated = from.AtTime;
        // The API takes whole seconds back from now; lines before the position are dropped below.
        var since = (long)Math.Ceiling((DateTimeOffset.UtcNow - from.Time).TotalSeconds) + 1;
        try
        {
            await ReadLinesAsync(pod, follow: true, sinceSeconds: since, tailLines: null, line =>
            {
                if (line.Time < from.Time) return;
                if (line.Time == from.Time && repeated > 0)
                {
                    repeated--;
                    return;
                }
                position = position.After(line.Time);
                moved(position);
                writer.TryWrite(line);
            }, ct);
        }
        catch (Exception e) when (e is k8s.Autorest.HttpOperationException or HttpRequestException or IOException
                                      or OperationCanceledException or ObjectDisposedException)
        {
            // gone, or the reader went away: nothing more to follow
        }
    }

    /// <summary>Only containers that ran have a log to ask for; asking earlier is an error.</summary>
    private static bool Started(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault() is { } c && (c.State?.Running is not null || c.State?.Terminated is not null || c.RestartCount > 0);

    private async Task ReadLinesAsync(V1Pod pod, bool follow, long? sinceSeconds, int? tailLines, Action<LogLine> line, CancellationToken ct)
    {
        var container = pod.Spec?.Containers?.FirstOrDefault()?.Name;
        Stream stream;
        try
        {
            stream = await api.Client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty, container: container,
                follow: follow, sinceSeconds: sinceSeconds is { } s ? (int)Math.Min(s, int.MaxValue) : null, tailLines: tailLines, timestamps: true,
                cancellationToken: ct);
        }
        catch (k8s.Autorest.HttpOperationException) when (!follow)
        {
            return; // the container went away between the listing and now
        }
        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            while (await reader.ReadLineAsync(ct) is { } text)
                if (Parse(pod.Metadata.Name, text) is { } parsed) line(parsed);
        }
    }

    /// <summary>"&lt;RFC 3339 time with nanoseconds&gt; &lt;text&gt;", as the kubelet writes with timestamps=true.</summary>
    public static LogLine? Parse(string source, string text)
    {
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        var stamp = space < 0 ? text : text[..space];
        return DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? new LogLine(time, source, space < 0 ? "" : text[(space + 1)..].TrimEnd('\r'))
            : null;
    }

    /// <summary>Where a pod's log was read up to: the time of its last line and how many lines had that time.</summary>
    private sealed record Position(DateTimeOffset Time, int AtTime = 0)
    {
        public Position After(DateTimeOffset time) => time == Time ? this with { AtTime = AtTime + 1 } : new Position(time, 1);
    }
}
