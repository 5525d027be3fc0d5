using System.Diagnostics;
using System.Text;
using Paas.Domain;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Docker.Tests.Support;
using static Paas.Scheduler.Docker.Tests.Support.DockerEngine;

namespace Paas.Scheduler.Docker.Tests;

/// <summary>`paas run`: one-off processes with the release's image and config.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RunTests(DockerEngine engine)
{
    private static readonly Dictionary<string, string> Config = new() { ["GREETING"] = "hello from config" };

    private static OneOffSpec OneOff(string app, string command, ResourceLimits? limits = null, TimeSpan? timeout = null) =>
        new(app, 1, Image, Config, command, limits, timeout);

    private async Task AssertNothingLeftAsync(string app) =>
        Assert.Equal("", (await engine.Cli("ps", "-a", "-q", "--filter", $"label=paas.app={app}")).Stdout.Trim());

    [Fact]
    public async Task Output_arrives_as_the_command_writes_it()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("stream");
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();
        TimeSpan? firstLine = null;

        var exit = await scheduler.RunAsync(OneOff(app, "echo first; sleep 2; echo second"), chunk =>
        {
            output.Append(chunk);
            if (firstLine is null && chunk.Contains("first", StringComparison.Ordinal)) firstLine = watch.Elapsed;
            return Task.CompletedTask;
        }, default);

        var ended = watch.Elapsed;
        Assert.Equal(0, exit);
        Assert.Equal("first\nsecond\n", output.ToString());
        Assert.NotNull(firstLine);
        Assert.True(ended - firstLine >= TimeSpan.FromSeconds(1.5), $"the first line came at {firstLine}, the end at {ended}: not while the command slept");
        await AssertNothingLeftAsync(app);
    }

    [Fact]
    public async Task The_exit_code_stdout_stderr_and_config_come_back_and_the_container_is_removed()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("exit");
        var output = new StringBuilder();

        var exit = await scheduler.RunAsync(OneOff(app, "echo \"$GREETING\"; echo oops >&2; exit 3"), chunk =>
        {
            output.Append(chunk);
            return Task.CompletedTask;
        }, default);

        Assert.Equal(3, exit);
        Assert.Contains("hello from config\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("oops\n", output.ToString(), StringComparison.Ordinal);
        await AssertNothingLeftAsync(app);
    }

    [Fact]
    public async Task Limits_apply_to_one_offs()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("runlimits");
        var output = new StringBuilder();
        // cgroup v2 or v1, whichever the host has
        const string command = "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; " +
            "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us";

        var exit = await scheduler.RunAsync(OneOff(app, command, new ResourceLimits(32L * 1024 * 1024, 100)), chunk =>
        {
            output.Append(chunk);
            return Task.CompletedTask;
        }, default);

        Assert.Equal(0, exit);
        Assert.Contains("33554432", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("10000", output.ToString(), StringComparison.Ordinal); // 100m: 10 ms of every 100 ms
    }

    [Fact]
    public async Task A_command_running_past_its_timeout_is_stopped_with_exit_code_124()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("timeout");
        var output = new StringBuilder();
        var watch = Stopwatch.StartNew();

        var exit = await scheduler.RunAsync(OneOff(app, "printf begun; exec sleep 30", timeout: TimeSpan.FromSeconds(1)), chunk =>
        {
            output.Append(chunk);
            return Task.CompletedTask;
        }, default);

        Assert.Equal(124, exit);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Equal("begun\nStopped after 1 second, the time a one-off process may run (exit code 124).\n", output.ToString());
        await AssertNothingLeftAsync(app);
    }

    [Fact]
    public async Task A_one_off_whose_caller_goes_away_is_removed()
    {
        await using var scheduler = engine.Scheduler();
        var app = NewApp("cancel");
        using var gone = new CancellationTokenSource();

        var run = scheduler.RunAsync(OneOff(app, "echo working; exec sleep 30"), async chunk => await gone.CancelAsync(), gone.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await AssertNothingLeftAsync(app);
    }
}
