using Paas.Domain.Scheduling;
using Paas.Scheduler.Docker.Tests.Support;
using static Paas.Scheduler.Docker.Tests.Support.DockerEngine;

namespace Paas.Scheduler.Docker.Tests;

/// <summary>`paas logs`: what the app's processes wrote, by time, and with --follow what they write next.</summary>
[Collection(ProcessCollection.Name)]
public sealed class LogsTests(DockerEngine engine)
{
    private static async Task<List<LogLine>> ReadAsync(DockerScheduler scheduler, string app, int lines)
    {
        var result = new List<LogLine>();
        await foreach (var line in scheduler.LogsAsync(app, lines, follow: false, default)) result.Add(line);
        return result;
    }

    [Fact]
    public async Task Lines_of_all_processes_come_merged_by_time_and_only_the_last_ones_with_a_tail()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("logs");
        await scheduler.DeployAsync(Spec(app, 1, Worker("i=0; while true; do i=$((i+1)); echo \"out $i\"; echo \"err $i\" >&2; sleep 0.1; done", replicas: 2)), default);
        var names = (await scheduler.ListAsync(app, default)).Select(p => p.Name).ToHashSet();
        // A one-off's output is its caller's, never part of the app's log.
        using var stopRun = new CancellationTokenSource();
        var run = scheduler.RunAsync(new OneOffSpec(app, 1, Image, new Dictionary<string, string>(), "while true; do echo one-off; sleep 0.1; done"),
            _ => Task.CompletedTask, stopRun.Token);

        var all = await Eventually.Returns(() => ReadAsync(scheduler, app, 1000),
            lines => names.All(n => lines.Count(l => l.Source == n) >= 20), "each process wrote 20 lines");

        Assert.Equal(names, all.Select(l => l.Source).ToHashSet());
        Assert.DoesNotContain(all, l => l.Text.Contains("one-off", StringComparison.Ordinal));
        Assert.Equal(all.OrderBy(l => l.Time), all);
        Assert.True(all.Zip(all.Skip(1)).Count(pair => pair.First.Source != pair.Second.Source) > 4, "the processes' lines are not interleaved");
        Assert.Contains(all, l => l.Text.StartsWith("err ", StringComparison.Ordinal));
        Assert.All(all, l => Assert.Matches("^(out|err) [0-9]+$", l.Text));

        var tail = await ReadAsync(scheduler, app, 6);
        Assert.Equal(6, tail.Count);
        Assert.Equal(tail.OrderBy(l => l.Time), tail);
        Assert.True(tail[0].Time >= all[^6].Time, "the tail holds older lines than the last ones");

        await stopRun.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await scheduler.DestroyAsync(app, default);
    }

    [Fact]
    public async Task Following_yields_new_lines_of_current_and_later_processes_until_cancelled()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("follow");
        var spec = Spec(app, 1, Worker("echo \"hello from $HOSTNAME\"; exec sleep 1000"));
        await scheduler.DeployAsync(spec, default);
        var first = Assert.Single(await scheduler.ListAsync(app, default));
        using var stop = new CancellationTokenSource();
        await using var lines = scheduler.LogsAsync(app, 10, follow: true, stop.Token).GetAsyncEnumerator(stop.Token);

        async Task<LogLine> NextAsync()
        {
            Assert.True(await lines.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)), "the log ended");
            return lines.Current;
        }

        var hello = await NextAsync();
        Assert.Equal(first.Name, hello.Source);
        Assert.StartsWith("hello from ", hello.Text, StringComparison.Ordinal);

        // Written after the call started: to PID 1's stdout, which is the container's.
        (await engine.Cli("exec", first.Name, "sh", "-c", "echo later >/proc/1/fd/1")).ShouldSucceed("docker exec");
        var later = await NextAsync();
        Assert.Equal((first.Name, "later"), (later.Source, later.Text));

        // A process started later (a scale) is followed too.
        await scheduler.DeployAsync(spec with { Processes = [Worker("echo \"hello from $HOSTNAME\"; exec sleep 1000", replicas: 2)] }, default);
        var second = (await scheduler.ListAsync(app, default)).Single(p => p.Name != first.Name);
        var fromSecond = await NextAsync();
        Assert.Equal(second.Name, fromSecond.Source);
        Assert.StartsWith("hello from ", fromSecond.Text, StringComparison.Ordinal);

        // A process that restarts (same container) is followed again, without repeating what it wrote before.
        (await engine.Cli("restart", "-t", "1", first.Name)).ShouldSucceed("docker restart");
        var afterRestart = await NextAsync();
        Assert.Equal((first.Name, hello.Text), (afterRestart.Source, afterRestart.Text));
        Assert.True(afterRestart.Time > hello.Time);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await lines.MoveNextAsync());
        await scheduler.DestroyAsync(app, default);
    }
}
