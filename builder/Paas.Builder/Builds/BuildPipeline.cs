using System.Diagnostics;
using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
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
    IRequestClient<BuildSucceeded> releases,
    IPublishEndpoint bus,
    IOptions<BuilderOptions> options,
    ILogger<BuildPipeline> logger)
{
    private const string Step = "-----> ";
    private const string Indent = "       ";
    private const string Problem = " !     ";

    public async Task<int> RunAsync(PushSession session, IReadOnlyList<RefUpdate> updates, string? quarantine,
        Func<string, Task> say, CancellationToken ct)
    {
        var phases = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["receive"] = Stopwatch.GetElapsedTime(session.StartedTimestamp).TotalSeconds,
        };
        var buildId = Guid.NewGuid();
        string? sha = null;
        try
        {
            var update = ChooseUpdate(updates);
            if (update is null) return 0;
            sha = update.NewSha;
            var shortSha = sha[..7];
            await say($"{Step}Building {session.App} from {shortSha} (pushed by {session.User})");

            var clock = Stopwatch.StartNew();
            await using var context = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            var tree = PushedTree.WriteTar(session.RepositoryPath, quarantine, sha, context);
            foreach (var warning in tree.Warnings) await say($"{Indent}Warning: {warning}");
            if (!tree.HasDockerfile)
                throw new BuildFailedException("There is no Dockerfile at the root of the pushed tree. Add one (FROM paas/busybox builds without network access) and push again.");
            var procfile = tree.Procfile is null ? new Dictionary<string, string>() : Procfile.Parse(tree.Procfile);
            if (procfile.Count > 0) await say($"{Indent}Procfile declares: {string.Join(", ", procfile.Keys)}");
            context.Position = 0;

            var image = $"{options.Value.Registry}/{session.App}:git-{shortSha}";
            await say($"{Step}Building image from the Dockerfile");
            await images.BuildAsync(context, image, line => say(Indent + line), ct);
            phases["build"] = clock.Elapsed.TotalSeconds;

            clock.Restart();
            await say($"{Step}Pushing image {image}");
            await images.PushAsync(image, ct);
            phases["push"] = clock.Elapsed.TotalSeconds;

            await say($"{Step}Releasing {session.App} and waiting for its processes to be ready");
            var request = releases.GetResponse<ReleaseDeployed, ReleaseNotDeployed>(
                new BuildSucceeded(buildId, session.App, session.User, sha, image, "dockerfile", procfile, phases),
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
        catch (Exception e) when (e is BuildFailedException or ValidationFailedException or RequestTimeoutException)
        {
            var reason = e is RequestTimeoutException
                ? $"The controller did not answer within {options.Value.ReleaseTimeoutSeconds:0} s; the app was not changed by this push."
                : e.Message;
            foreach (var line in reason.Split('\n')) await say(Problem + line);
            await say($"{Problem}Push rejected; {session.App} keeps running its current release.");
            await bus.Publish(new BuildFailed(buildId, session.App, session.User, sha, "dockerfile", reason, phases), CancellationToken.None);
            logger.LogInformation("Build of {App} failed: {Reason}", session.App, reason);
            return 1;
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
        string[] order = ["receive", "build", "push", "release", "ready"];
        var parts = order.Where(phases.ContainsKey).Select(p => $"{p} {phases[p].ToString("0.0", CultureInfo.InvariantCulture)}s");
        return $"{string.Join(", ", parts)} (total {phases.Values.Sum().ToString("0.0", CultureInfo.InvariantCulture)}s)";
    }
}
