using System.Text;
using Paas.Domain.Scheduling;
using Paas.Scheduler.Kubernetes.Tests.Support;
using static Paas.Scheduler.Kubernetes.Tests.Support.ClusterFixture;

namespace Paas.Scheduler.Kubernetes.Tests;

/// <summary>One-off runs and logs on the real local cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterProcessTests(ClusterFixture cluster)
{
    private const string Ticker = "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.3; done";

    [SkippableFact]
    public async Task A_one_off_streams_its_output_returns_its_exit_code_and_leaves_no_pod()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("run");
        var spec = cluster.Spec(app, 2, Web());
        await scheduler.DeployAsync(spec, default);
        var output = new StringBuilder();

        var code = await scheduler.RunAsync(new OneOffSpec(app, 2, cluster.Image, spec.Environment,
            "echo out; echo err >&2; echo \"$GREETING as $PAAS_PROCESS_TYPE\"; exit 3"), chunk =>
        {
            lock (output) output.Append(chunk);
            return Task.CompletedTask;
        }, default);

        Assert.Equal(3, code);
        Assert.Contains("out\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("err\n", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("hello from config as run", output.ToString(), StringComparison.Ordinal);
        await Eventually.Returns(async () => (await cluster.PodsAsync(app)).Count(p => p.Metadata.Labels.ContainsKey(Names.OneOffLabel)),
            n => n == 0, "the one-off pod is deleted");
        Assert.DoesNotContain(await scheduler.ListAsync(app, default), p => p.Type == "run");
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task A_cancelled_one_off_is_deleted_and_one_past_its_timeout_ends_with_124()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("cancel");
        var spec = cluster.Spec(app, 2, Web());
        await scheduler.DeployAsync(spec, default);

        using var cancel = new CancellationTokenSource();
        var run = scheduler.RunAsync(new OneOffSpec(app, 2, cluster.Image, spec.Environment, "echo started; sleep 600"), chunk =>
        {
            if (chunk.Contains("started", StringComparison.Ordinal)) cancel.Cancel();
            return Task.CompletedTask;
        }, cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Eventually.Returns(async () => (await cluster.PodsAsync(app)).Count(p => p.Metadata.Labels.ContainsKey(Names.OneOffLabel)),
            n => n == 0, "the cancelled one-off pod is deleted");

        var output = new StringBuilder();
        var code = await scheduler.RunAsync(new OneOffSpec(app, 2, cluster.Image, spec.Environment, "sleep 600", Timeout: TimeSpan.FromSeconds(3)),
            chunk => { output.Append(chunk); return Task.CompletedTask; }, default);
        Assert.Equal(124, code);
        Assert.Contains("Stopped after 3 seconds", output.ToString(), StringComparison.Ordinal);
        await scheduler.DestroyAsync(app, default);
    }

    [SkippableFact]
    public async Task Logs_merge_the_pods_tail_and_follow_new_pods()
    {
        Skip.If(!cluster.Available, cluster.SkipReason);
        var scheduler = cluster.Scheduler();
        var app = cluster.NewApp("logs");
        await scheduler.DeployAsync(cluster.Spec(app, 2, Web(), Worker(Ticker)), default);
        // The worker ticks three times a second once it runs; on a busy machine it may take a moment to get there.
        var tail = await Eventually.Returns(() => ToListAsync(scheduler.LogsAsync(app, 5, follow: false, default)), t => t.Count == 5,
            "the worker wrote five lines", TimeSpan.FromSeconds(30));
        Assert.All(tail, l => Assert.StartsWith($"{app}-worker-", l.Source, StringComparison.Ordinal));
        Assert.All(tail, l => Assert.StartsWith("tick ", l.Text, StringComparison.Ordinal));
        Assert.Equal(tail.OrderBy(l => l.Time).ToList(), tail);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var sources = new HashSet<string>();
        var followed = new List<LogLine>();
        var scaled = false;
        await foreach (var line in scheduler.LogsAsync(app, 1, follow: true, stop.Token).WithCancellation(stop.Token))
        {
            followed.Add(line);
            if (line.Source.Contains("-worker-", StringComparison.Ordinal)) sources.Add(line.Source);
            if (!scaled && followed.Count >= 3)
            {
                scaled = true;
                // A second worker starts while we follow: its lines arrive too.
                _ = scheduler.DeployAsync(cluster.Spec(app, 2, Web(), Worker(Ticker, replicas: 2)), default);
            }
            if (sources.Count == 2) break;
        }
        Assert.Equal(2, sources.Count);
        var ticks = followed.Where(l => l.Source == followed[0].Source).Select(l => l.Text).ToList();
        Assert.Equal(ticks.Distinct().Count(), ticks.Count); // no line twice
        await scheduler.DestroyAsync(app, default);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source) list.Add(item);
        return list;
    }
}
