using System.Diagnostics;
using System.Globalization;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Options;
using Paas.Builder.Buildpacks;
using Paas.Builder.Git;
using Paas.Contracts;
using Paas.Domain;

namespace Paas.Builder.Builds;

/// <summary>One ref update as git's pre-receive hook receives it.</summary>
public sealed record RefUpdate(string OldSha, string NewSha, string Ref)
{
    public const string Zero = "0000000000000000000000000000000000000000";

    public static IReadOnlyList<RefUpdate> ParseAll(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 3)
            .Select(parts => new RefUpdate(parts[0], parts[1], parts[2]))
            .ToList();
}

/// <summary>
/// What happens between `git push` and a serving release: check the pushed ref, tar the commit,
/// build the image, push it to the registry, ask the controller to release it, and report each
/// step (and its duration) to the pusher. Returns the hook's exit code: non-zero rejects the push.
/// </summary>
public sealed class BuildPipeline(
    ImageBuilder images,
    BuildpackBuilder buildpacks,
    BuildpackFetcher fetcher,
    ControllerClient controller,
    IRequestClient<BuildSucceeded> releases,
    IPublishEndpoint bus,
    IOptions<BuilderOptions> options,
    ILogger<BuildPipeline> logger)
{
    private const string Step = "-----> ";
    private const string Indent = "       ";
    private const string Problem = " !     ";

    public async Task<int> RunAsync(PushSession session, IReadOnlyList<RefUpdate> updates, string? quarantine,
        Func<string, Task> sayToPusher, CancellationToken ct)
    {
        var phases = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["receive"] = Stopwatch.GetElapsedTime(session.StartedTimestamp).TotalSeconds,
        };
        // Everything the pusher sees is also the build's log, kept with its record.
        var log = new StringBuilder();
        async Task say(string line)
        {
            lock (log) log.Append(line).Append('\n');
            await sayToPusher(line);
        }
        string Log()
        {
            lock (log) return log.ToString();
        }

        var buildId = Guid.NewGuid();
        string? sha = null;
        var kind = "dockerfile";
        var timeout = TimeSpan.FromSeconds(options.Value.BuildTimeoutSeconds);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        DirectoryInfo? scratch = null;
        try
        {
            var update = ChooseUpdate(updates);
            if (update is null) return 0;
            sha = update.NewSha;
            var shortSha = sha[..7];
            await say($"{Step}Building {session.App} from {shortSha} (pushed by {session.User})");
            var config = await controller.GetConfigValuesAsync(session.App, session.User, ct);
            // An app may shorten its own build time limit (BUILD_TIMEOUT, seconds), never lengthen it.
            if (config.TryGetValue("BUILD_TIMEOUT", out var own) && double.TryParse(own, NumberStyles.Float, CultureInfo.InvariantCulture, out var ownSeconds)
                && ownSeconds > 0 && ownSeconds < timeout.TotalSeconds)
                timeout = TimeSpan.FromSeconds(ownSeconds);
            limit.CancelAfter(timeout);

            var clock = Stopwatch.StartNew();
            await using var context = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            var tree = PushedTree.WriteTar(session.RepositoryPath, quarantine, sha, context);
            foreach (var warning in tree.Warnings) await say($"{Indent}Warning: {warning}");
            var procfile = tree.Procfile is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(Procfile.Parse(tree.Procfile), StringComparer.Ordinal);
            if (procfile.Count > 0) await say($"{Indent}Procfile declares: {string.Join(", ", procfile.Keys)}");
            var image = $"{options.Value.Registry}/{session.App}:git-{shortSha}";

            if (tree.HasDockerfile)
            {
                context.Position = 0;
                await say($"{Step}Building image from the Dockerfile");
                await images.BuildAsync(context, image, line => say(Indent + line), limit.Token);
                phases["build"] = clock.Elapsed.TotalSeconds;
            }
            else
            {
                kind = "buildpack";
                var plan = BuildpackPlan.For(config.GetValueOrDefault("BUILDPACK_URL"), tree.Buildpacks);
                await say(plan.RunMode == BuildpackPlan.Mode.Detect
                    ? $"{Step}No Dockerfile: building with buildpacks (detecting among {string.Join(", ", plan.Buildpacks.Select(b => b.Name))})"
                    : $"{Step}No Dockerfile: building with the buildpack{(plan.Buildpacks.Count > 1 ? "s" : "")} named in {plan.Reason}: {string.Join(", ", plan.Buildpacks.Select(b => b.Name))}");
                scratch = Directory.CreateTempSubdirectory("paas-build-");
                var resolved = await fetcher.ResolveAsync(plan, scratch.FullName, say, limit.Token);
                await using var source = new FileStream(Path.Combine(scratch.FullName, "source.tar"), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
                PushedTree.WriteTar(session.RepositoryPath, quarantine, sha, source, prefix: "app/");
                var built = await buildpacks.BuildAsync(session.App, sha, source, resolved, plan.RunMode, config, image, say,
                    phase =>
                    {
                        phases[phase] = clock.Elapsed.TotalSeconds;
                        clock.Restart();
                        return Task.CompletedTask;
                    }, limit.Token);
                phases["build"] = clock.Elapsed.TotalSeconds;
                // The Procfile wins over what the buildpacks propose (Heroku's rule).
                foreach (var (type, command) in built.DefaultProcessTypes) procfile.TryAdd(type, command);
                if (procfile.Count == 0)
                    throw new BuildFailedException("The app declares no process types: add a Procfile (e.g. \"web: ./server\"), or use a buildpack that proposes them.");
                await say($"{Indent}Process types: {string.Join(", ", procfile.Select(p => $"{p.Key} ({p.Value})"))}");
            }

            // The time limit is the build's; the registry push and the release have their own.
            limit.CancelAfter(Timeout.InfiniteTimeSpan);
            clock.Restart();
            await say($"{Step}Pushing image {image}");
            await images.PushAsync(image, ct);
            phases["push"] = clock.Elapsed.TotalSeconds;

            await say($"{Step}Releasing {session.App} and waiting for its processes to be ready");
            var request = releases.GetResponse<ReleaseDeployed, ReleaseNotDeployed>(
                new BuildSucceeded(buildId, session.App, session.User, sha, image, kind, procfile, phases, Log()),
                ct, RequestTimeout.After(s: (int)options.Value.ReleaseTimeoutSeconds));
            var waited = Stopwatch.StartNew();
            while (await Task.WhenAny(request, Task.Delay(TimeSpan.FromSeconds(10), ct)) != request)
                await say($"{Indent}still starting ({waited.Elapsed.TotalSeconds:0} s)");

            var response = await request;
            if (!response.Is(out Response<ReleaseDeployed>? deployedResponse) && response.Is(out Response<ReleaseNotDeployed>? notDeployed))
            {
                var failed = notDeployed.Message;
                await say($"{Problem}{(failed.Version is { } v ? $"Release v{v} failed" : "No release was made")}: {failed.Reason}");
                await say($"{Problem}The previous release keeps serving. Fix the problem and push again.");
                return 1;
            }
            var deployed = deployedResponse!.Message;
            phases["release"] = deployed.ReleaseSeconds;
            phases["ready"] = deployed.ReadySeconds;
            await say($"{Step}{session.App} v{deployed.Version} deployed: {session.WebUrl}");
            await say($"{Indent}Timings: {Describe(phases)}");
            return 0;
        }
        catch (Exception e) when (e is BuildFailedException or ValidationFailedException or RequestTimeoutException or HttpRequestException
                                  || e is OperationCanceledException && limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var reason = e switch
            {
                RequestTimeoutException => $"The controller did not answer within {options.Value.ReleaseTimeoutSeconds:0} s; the app was not changed by this push.",
                OperationCanceledException => $"The build took longer than {timeout.TotalSeconds:0} s (the build time limit) and was stopped.",
                HttpRequestException => $"The builder could not reach the controller: {e.Message}",
                _ => e.Message,
            };
            foreach (var line in reason.Split('\n')) await say(Problem + line);
            await say($"{Problem}Push rejected; {session.App} keeps running its current release.");
            await bus.Publish(new BuildFailed(buildId, session.App, session.User, sha, kind, reason, phases, Log()), CancellationToken.None);
            logger.LogInformation("Build of {App} failed: {Reason}", session.App, reason);
            return 1;
        }
        finally
        {
            try
            {
                scratch?.Delete(recursive: true);
            }
            catch (IOException e)
            {
                logger.LogWarning(e, "Could not delete {Directory}", scratch!.FullName);
            }
        }
    }

    /// <summary>The update to build, or null when there is nothing to build; refuses what Paas does not deploy.</summary>
    private static RefUpdate? ChooseUpdate(IReadOnlyList<RefUpdate> updates)
    {
        if (updates.Count == 0) return null;
        foreach (var update in updates)
        {
            if (update.Ref is not ("refs/heads/main" or "refs/heads/master"))
            {
                var name = update.Ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? update.Ref["refs/heads/".Length..] : update.Ref;
                throw new BuildFailedException(
                    $"Paas deploys the main (or master) branch only, and this push updates {update.Ref}. To deploy it, run: git push paas {name}:main");
            }
            if (update.NewSha == RefUpdate.Zero)
                throw new BuildFailedException($"Deleting {update.Ref} is not supported; the app keeps running its current release.");
        }
        if (updates.Count > 1) throw new BuildFailedException("Push main or master, not both at once.");
        return updates[0];
    }

    public static string Describe(IReadOnlyDictionary<string, double> phases)
    {
        string[] order = ["receive", "compile", "build", "push", "release", "ready"];
        var parts = order.Where(phases.ContainsKey).Select(p => $"{p} {phases[p].ToString("0.0", CultureInfo.InvariantCulture)}s");
        return $"{string.Join(", ", parts)} (total {phases.Values.Sum().ToString("0.0", CultureInfo.InvariantCulture)}s)";
    }
}
