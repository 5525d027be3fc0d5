using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Docker.DotNet;
using Docker.DotNet.Models;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>
/// An app's log: what its process containers wrote (stopped ones too; never one-offs), line by line with
/// Docker's timestamps. First the last lines of every container, merged by time; then, when following,
/// each container's new lines as they come, including containers that start later (a deploy, a restart),
/// found by looking at the app's containers every second.
/// </summary>
internal sealed class LogStream(IDockerClient docker, Containers containers)
{
    private static readonly TimeSpan LookForNewProcesses = TimeSpan.FromSeconds(1);

    public async IAsyncEnumerable<LogLine> ReadAsync(string app, int lines, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        // Lines from this moment on are new; a container with nothing in its tail is followed from here.
        var start = DateTimeOffset.UtcNow;
        var current = await containers.ListProcessesAsync(app, ct);
        var tails = await Task.WhenAll(current.Select(c => TailAsync(c, lines, ct)));
        var positions = new ConcurrentDictionary<string, Position>(StringComparer.Ordinal);
        foreach (var (container, tail) in current.Zip(tails))
            positions[container.ID] = tail.Aggregate(new Position(start), (position, line) => position.After(line.Time));
        // OrderBy is stable: lines of one container with the same time keep their order.
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

    private async Task<List<LogLine>> TailAsync(ContainerListResponse container, int lines, CancellationToken ct)
    {
        var result = new List<LogLine>();
        var parameters = Parameters();
        parameters.Tail = Math.Max(0, lines).ToString(CultureInfo.InvariantCulture);
        await ReadLinesAsync(container, parameters, line => result.Add(line), ct);
        return result;
    }

    /// <summary>
    /// Keeps a follower per container. Docker ends a follow when its container stops; a container that
    /// runs again (Docker or a liveness check restarted it) is followed again from its last line.
    /// </summary>
    private async Task FollowAllAsync(string app, DateTimeOffset start, ConcurrentDictionary<string, Position> positions,
        ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        var followers = new Dictionary<string, Task>(StringComparer.Ordinal);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                foreach (var container in await containers.ListProcessesAsync(app, ct))
                {
                    if (followers.TryGetValue(container.ID, out var follower) && (!follower.IsCompleted || container.State != "running")) continue;
                    var position = positions.GetValueOrDefault(container.ID) ?? new Position(start);
                    followers[container.ID] = FollowAsync(container, position, p => positions[container.ID] = p, writer, ct);
                }
                await Task.Delay(LookForNewProcesses, ct);
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

    private async Task FollowAsync(ContainerListResponse container, Position from, Action<Position> moved,
        ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        var position = from;
        var repeated = from.AtTime;
        var parameters = Parameters();
        parameters.Follow = true;
        parameters.Since = UnixTime(from.Time);
        try
        {
            await ReadLinesAsync(container, parameters, line =>
            {
                // Since includes the lines at that very time, which the tail (or the last follow) already gave.
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
        catch (Exception e) when (e is DockerApiException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // removed, or the reader went away: nothing more to follow
        }
    }

    private static ContainerLogsParameters Parameters() => new() { ShowStdout = true, ShowStderr = true, Timestamps = true };

    /// <summary>Docker's `since`: Unix seconds with a fraction down to nanoseconds.</summary>
    private static string UnixTime(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return FormattableString.Invariant($"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}");
    }

    /// <summary>Reads the demultiplexed log (no TTY) and splits stdout and stderr into lines, each "&lt;RFC 3339 time&gt; &lt;text&gt;".</summary>
    private async Task ReadLinesAsync(ContainerListResponse container, ContainerLogsParameters parameters, Action<LogLine> line, CancellationToken ct)
    {
        var name = Containers.NameOf(container);
        using var stream = await docker.Containers.GetContainerLogsAsync(container.ID, false, parameters, ct);
        var stdout = new LineSplitter(name, line);
        var stderr = new LineSplitter(name, line);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await DockerStreams.ReadAsync(stream, () => stream.ReadOutputAsync(buffer, 0, buffer.Length, ct), ct);
            if (read.EOF) break;
            (read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout).Add(buffer.AsSpan(0, read.Count));
        }
        stdout.Flush();
        stderr.Flush();
    }

    /// <summary>Where a container's log was read up to: the time of its last line and how many lines had that time.</summary>
    private sealed record Position(DateTimeOffset Time, int AtTime = 0)
    {
        public Position After(DateTimeOffset time) => time == Time ? this with { AtTime = AtTime + 1 } : new Position(time, 1);
    }

    private sealed class LineSplitter(string source, Action<LogLine> line)
    {
        private readonly List<byte> pending = [];

        public void Add(ReadOnlySpan<byte> bytes)
        {
            while (bytes.Length > 0)
            {
                var end = bytes.IndexOf((byte)'\n');
                if (end < 0)
                {
                    pending.AddRange(bytes);
                    return;
                }
                pending.AddRange(bytes[..end]);
                Emit();
                bytes = bytes[(end + 1)..];
            }
        }

        public void Flush()
        {
            if (pending.Count > 0) Emit();
        }

        private void Emit()
        {
            var text = Encoding.UTF8.GetString([.. pending]).TrimEnd('\r');
            pending.Clear();
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            var stamp = space < 0 ? text : text[..space];
            if (!DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)) return;
            line(new LogLine(time, source, space < 0 ? "" : text[(space + 1)..]));
        }
    }
}
