using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Services;

/// <summary>An app's running processes: listing, scaling, restarting, one-off runs and logs.</summary>
public sealed class ProcessService(
    PaasDbContext db,
    IScheduler scheduler,
    AppLocks locks,
    Deployer deployer,
    Activity activity,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<PlatformOptions> platform)
{
    public async Task<IReadOnlyList<AppProcess>> ListAsync(App app, string? type, CancellationToken ct)
    {
        var processes = await scheduler.ListAsync(app.Name, ct);
        if (type is not null)
        {
            RequireType(app, type);
            processes = processes.Where(p => p.Type == type).ToList();
        }
        return processes;
    }

    /// <summary>Changes the formation and brings the serving release to it.</summary>
    public async Task ScaleAsync(Caller caller, App app, IReadOnlyDictionary<string, int> counts, CancellationToken ct)
    {
        if (counts.Count == 0)
            throw new ValidationFailedException("non_field_errors", "Say what to scale, e.g. {\"web\": 2}.");
        await using var held = await locks.AcquireAsync(app.Name, ct);
        await db.Entry(app).ReloadAsync(ct);
        app.Scale(counts, clock.GetUtcNow());
        activity.Record(app.Name, caller.Username, "scale",
            $"{caller.Username} scaled {string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"))}");
        await db.SaveChangesAsync(ct);
        await deployer.DeployServingLockedAsync(app, retireOthers: false, ct);
    }

    /// <summary>Replaces processes with fresh ones (all, one type, or one by name).</summary>
    public async Task<IReadOnlyList<AppProcess>> RestartAsync(Caller caller, App app, string? type, string? name, CancellationToken ct)
    {
        if (type is not null) RequireType(app, type);
        await using var held = await locks.AcquireAsync(app.Name, ct);
        var spec = await deployer.ServingSpecAsync(app, ct)
            ?? throw new ValidationFailedException("non_field_errors", $"{app.Name} has no processes yet: push code first (git push).");
        if (name is not null && !(await scheduler.ListAsync(app.Name, ct)).Any(p => p.Name == name && (type is null || p.Type == type)))
            throw new ValidationFailedException("detail", $"Process {name} does not exist in application {app.Name}.");
        var restarted = await scheduler.RestartAsync(spec, type, name, ct);
        activity.Record(app.Name, caller.Username, "restart", $"{caller.Username} restarted {name ?? type ?? "all processes"}");
        await db.SaveChangesAsync(ct);
        return restarted;
    }

    /// <summary>Runs a one-off command with the serving release's image and config.</summary>
    public async Task<int> RunAsync(Caller caller, App app, string? command, Func<string, Task> output, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(command))
            throw new ValidationFailedException("command", "Give a command to run, e.g. paas run 'ls -l'.", "This field may not be blank.");
        var serving = await db.Releases.Where(r => r.AppId == app.Id && r.State == ReleaseState.Succeeded && r.BuildId != null)
            .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct)
            ?? throw new ValidationFailedException("non_field_errors", $"{app.Name} has no build to run commands in yet: push code first (git push).");
        var build = await db.Builds.SingleAsync(b => b.Id == serving.BuildId, ct);
        var config = await db.Configs.SingleAsync(c => c.Id == serving.ConfigId, ct);
        var environment = DeploymentSpecs.Environment(app, serving, build, config);
        var spec = new OneOffSpec(app.Name, serving.Version, build.Image, environment, command, DeploymentSpecs.LimitsFor(config, "run"),
            TimeSpan.FromSeconds(platform.Value.RunTimeoutSeconds), RegistryCredentials.From(config.Registry));
        var code = await scheduler.RunAsync(spec, output, ct);
        activity.Record(app.Name, caller.Username, "run", $"{caller.Username} ran '{Shorten(command)}' (exit {code})");
        await db.SaveChangesAsync(CancellationToken.None);
        return code;
    }

    /// <summary>
    /// The app's log: its processes' output and the platform's own events about it (source "controller"),
    /// interleaved by time; the last <paramref name="lines"/>, then new ones while <paramref name="follow"/>.
    /// </summary>
    public async IAsyncEnumerable<LogLine> LogsAsync(App app, int lines, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        if (lines is < 1 or > 10_000)
            throw new ValidationFailedException("log_lines", "log_lines must be between 1 and 10000.");
        var events = await db.Events.AsNoTracking().Where(e => e.App == app.Name).OrderByDescending(e => e.Created).Take(lines).ToListAsync(ct);
        var processLines = new List<LogLine>();
        var channel = Channel.CreateUnbounded<LogLine>();
        var source = scheduler.LogsAsync(app.Name, lines, follow, ct).GetAsyncEnumerator(ct);
        // The scheduler's tail comes first; with follow, what comes later arrives live.
        var pump = Task.Run(async () =>
        {
            try
            {
                while (await source.MoveNextAsync()) await channel.Writer.WriteAsync(source.Current, ct);
            }
            catch (OperationCanceledException) { }
            finally
            {
                channel.Writer.TryComplete();
                await source.DisposeAsync();
            }
        }, CancellationToken.None);

        // Tail: whatever the scheduler has right away (it yields its tail before following).
        using (var settle = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            settle.CancelAfter(TimeSpan.FromMilliseconds(follow ? 500 : 60_000));
            try
            {
                while (await channel.Reader.WaitToReadAsync(settle.Token))
                    while (channel.Reader.TryRead(out var line)) processLines.Add(line);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        }
        var lastEvent = events.Count > 0 ? events.Max(e => e.Created) : DateTimeOffset.MinValue;
        foreach (var line in processLines.Concat(events.Select(ControllerLine)).OrderBy(l => l.Time).TakeLast(lines))
            yield return line;
        if (!follow) yield break;

        var seen = events.Select(e => e.Id).ToHashSet();
        while (!ct.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(TimeSpan.FromSeconds(1));
            var fresh = new List<LogLine>();
            try
            {
                while (await channel.Reader.WaitToReadAsync(tick.Token))
                    while (channel.Reader.TryRead(out var line)) fresh.Add(line);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            var newEvents = await db.Events.AsNoTracking().Where(e => e.App == app.Name && e.Created >= lastEvent).ToListAsync(ct);
            foreach (var e in newEvents.Where(e => seen.Add(e.Id)))
            {
                fresh.Add(ControllerLine(e));
                if (e.Created > lastEvent) lastEvent = e.Created;
            }
            foreach (var line in fresh.OrderBy(l => l.Time)) yield return line;
        }
        await pump;
    }

    private static LogLine ControllerLine(AppEvent e) => new(e.Created, "controller", e.Message);

    private static void RequireType(App app, string type)
    {
        if (!app.Structure.ContainsKey(type))
            throw new ValidationFailedException("detail",
                $"Process type '{type}' does not exist in application {app.Name}. Its types are: {string.Join(", ", app.Structure.Keys.Order(StringComparer.Ordinal))}.");
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
