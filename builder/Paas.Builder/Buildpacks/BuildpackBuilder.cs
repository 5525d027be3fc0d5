using System.Diagnostics;
using System.Formats.Tar;
using System.Reflection;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Paas.Builder.Builds;
using Paas.Domain;

namespace Paas.Builder.Buildpacks;

/// <summary>
/// Builds an app without a Dockerfile the Heroku way: its buildpacks' bin/detect, bin/compile and
/// bin/release run in a build container of the stack image, with the app in /app and the app's
/// cache volume at /tmp/cache; the compiled /app then becomes one layer on the stack image, whose
/// entry point sources .profile.d before running each process.
/// </summary>
public sealed class BuildpackBuilder(IDockerClient docker, ImageBuilder images, IOptions<BuilderOptions> options, ILogger<BuildpackBuilder> logger)
{
    /// <summary>The Docker volume holding an app's build cache (CACHE_DIR), kept between builds, removed with the app.</summary>
    public static string CacheVolume(string app) => $"paas-cache-{app}";

    public sealed record Result(IReadOnlyDictionary<string, string> DefaultProcessTypes, IReadOnlyList<string> Buildpacks);

    /// <param name="source">A tar of the pushed tree with every path under "app/".</param>
    /// <param name="environment">The app's config, given to buildpacks as ENV_DIR.</param>
    public async Task<Result> BuildAsync(string app, string sha, Stream source, IReadOnlyList<ResolvedBuildpack> buildpacks, BuildpackPlan.Mode mode,
        IReadOnlyDictionary<string, string> environment, string image, Func<string, Task> say, Func<string, Task> phase, CancellationToken ct)
    {
        var stack = options.Value.StackImage;
        await EnsureStackAsync(stack, say, ct);

        var container = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = $"paas-build-{app}-{Guid.NewGuid().ToString("N")[..8]}",
            Image = stack,
            Cmd = ["/bin/bash", "/tmp/buildpacks/driver"],
            WorkingDir = "/app",
            Env = ["STACK=paas-bookworm", $"SOURCE_VERSION={sha}", "HOME=/app", "LANG=C.UTF-8"],
            Labels = new Dictionary<string, string> { ["paas.build"] = app },
            HostConfig = new HostConfig
            {
                Mounts = [new Mount { Type = "volume", Source = CacheVolume(app), Target = "/tmp/cache" }],
            },
        }, ct);
        try
        {
            await using (var inputs = new MemoryStream())
            {
                WriteInputs(inputs, buildpacks, mode, environment);
                inputs.Position = 0;
                await docker.Containers.ExtractArchiveToContainerAsync(container.ID, new ContainerPathStatParameters { Path = "/" }, inputs, ct);
            }
            source.Position = 0;
            await docker.Containers.ExtractArchiveToContainerAsync(container.ID, new ContainerPathStatParameters { Path = "/" }, source, ct);

            using (var stream = await docker.Containers.AttachContainerAsync(container.ID, false,
                new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, ct))
            {
                await docker.Containers.StartContainerAsync(container.ID, new ContainerStartParameters(), ct);
                await RelayAsync(stream, say, ct);
            }
            var exit = await docker.Containers.WaitContainerAsync(container.ID, ct);
            var results = await ReadResultsAsync(container.ID, ct);
            results.TryGetValue("failed", out var failedName);
            failedName = failedName?.Trim();
            switch (exit.StatusCode)
            {
                case 0: break;
                case 30:
                    throw new BuildFailedException(
                        "No buildpack applies to this app: add a Dockerfile, a Procfile, requirements.txt (Python), package.json (Node.js) or " +
                        "index.html (a static site), or name a buildpack with BUILDPACK_URL (paas config:set BUILDPACK_URL=...) or in .buildpacks.");
                case 31:
                    throw new BuildFailedException($"Buildpack {failedName} does not apply to this app (its bin/detect refused it).");
                case 32:
                    throw new BuildFailedException($"Buildpack {failedName} failed to compile the app (see its output above).");
                default:
                    throw new BuildFailedException($"The build container ended with exit code {exit.StatusCode}.");
            }

            var defaults = new Dictionary<string, string>(StringComparer.Ordinal);
            var configVars = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var n = 0; n < buildpacks.Count; n++)
            {
                if (!results.TryGetValue($"release-{n}.yml", out var yaml)) continue;
                var release = ReleaseYaml.Parse(yaml);
                foreach (var (k, v) in release.DefaultProcessTypes) defaults[k] = v;
                foreach (var (k, v) in release.ConfigVars) configVars[k] = v;
            }
            await phase("compile");

            await say("-----> Making the image: the compiled app on the stack");
            await using var context = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            // The engine's archive stream is copied to a file first: TarReader wants a stream that reads to the end reliably.
            await using var slugFile = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            var slug = await docker.Containers.GetArchiveFromContainerAsync(container.ID, new GetArchiveFromContainerParameters { Path = "/app" }, false, ct);
            await using (var slugStream = slug.Stream)
                await slugStream.CopyToAsync(slugFile, ct);
            slugFile.Position = 0;
            await WriteImageContextAsync(context, slugFile, stack, configVars, ct);
            context.Position = 0;
            await images.BuildAsync(context, image, _ => Task.CompletedTask, ct);
            return new Result(defaults, [.. buildpacks.Select(b => b.Name)]);
        }
        finally
        {
            try
            {
                await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
            }
            catch (DockerApiException e)
            {
                logger.LogWarning(e, "Could not remove build container {Container}", container.ID);
            }
        }
    }

    /// <summary>Removes an app's build cache (the app is gone).</summary>
    public async Task DeleteCacheAsync(string app, CancellationToken ct)
    {
        try
        {
            await docker.Volumes.RemoveAsync(CacheVolume(app), force: true, ct);
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The driver, the buildpacks (as /tmp/buildpacks/N) and the config (as /tmp/env/KEY files).</summary>
    private static void WriteInputs(Stream output, IReadOnlyList<ResolvedBuildpack> buildpacks, BuildpackPlan.Mode mode, IReadOnlyDictionary<string, string> environment)
    {
        using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        Directory(tar, "tmp/buildpacks/");
        File(tar, "tmp/buildpacks/driver", Resource("driver.sh"), executable: true);
        File(tar, "tmp/buildpacks/mode", mode == BuildpackPlan.Mode.All ? "all\n" : "detect\n");
        File(tar, "tmp/buildpacks/order", string.Concat(buildpacks.Select((b, n) => $"{n}\t{b.Name}\n")));
        for (var n = 0; n < buildpacks.Count; n++)
        {
            var root = buildpacks[n].Directory;
            Directory(tar, $"tmp/buildpacks/{n}/");
            foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
                if (relative == ".git" || relative.StartsWith(".git/", StringComparison.Ordinal)) continue;
                var name = $"tmp/buildpacks/{n}/{relative}";
                var info = new FileInfo(path);
                if (info.LinkTarget is not null) continue; // a buildpack's symlinks could point anywhere on the builder
                if (System.IO.Directory.Exists(path)) Directory(tar, name + "/");
                else
                {
                    using var content = System.IO.File.OpenRead(path);
                    // bin/* must run whatever the checkout did with the mode bits.
                    var executable = relative.StartsWith("bin/", StringComparison.Ordinal) || (info.UnixFileMode & UnixFileMode.UserExecute) != 0;
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = content, Mode = executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100 });
                }
            }
        }
        Directory(tar, "tmp/env/");
        foreach (var (key, value) in environment)
            if (key.Length > 0 && !key.Contains('/', StringComparison.Ordinal) && key is not "." and not "..") File(tar, $"tmp/env/{key}", value);
    }

    /// <summary>
    /// The stack must be in the builder's engine. On one host scripts/up imports it; in a cluster the builder's own
    /// engine (docker-in-docker) starts empty and pulls it from the registry scripts/k8s-install pushed it to.
    /// </summary>
    private async Task EnsureStackAsync(string stack, Func<string, Task> say, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(stack, ct);
            return;
        }
        catch (DockerImageNotFoundException)
        {
        }
        if (ImageReference.Registry(stack) is not { } registry)
            throw new BuildFailedException($"The stack image {stack} is missing from the builder's Docker engine; scripts/up (or scripts/svc stack-image) makes it.");
        await say($"-----> Pulling the stack image {stack} (once per builder engine)");
        var (name, tag) = ImageReference.Split(stack);
        try
        {
            await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag }, null, new Progress<JSONMessage>(), ct);
            await docker.Images.InspectImageAsync(stack, ct);
        }
        catch (Exception e) when (e is DockerApiException or DockerImageNotFoundException or HttpRequestException)
        {
            throw new BuildFailedException(
                $"The stack image {stack} is not in the builder's Docker engine and could not be pulled ({e.Message.Trim()}); scripts/k8s-install pushes it to {registry}.");
        }
    }

    /// <summary>The context of the final image: a Dockerfile, the launcher and the compiled app (entries "app/...").</summary>
    private static async Task WriteImageContextAsync(Stream output, Stream slug, string stack, IReadOnlyDictionary<string, string> configVars, CancellationToken ct)
    {
        var dockerfile = new StringBuilder()
            .Append("FROM ").Append(stack).Append('\n')
            .Append("COPY app /app\n")
            .Append("COPY paas-launch /paas/launch\n");
        foreach (var (key, value) in configVars)
            if (IsEnvName(key)) dockerfile.Append("ENV ").Append(key).Append('=').Append(System.Text.Json.JsonSerializer.Serialize(value)).Append('\n');
        dockerfile.Append("ENV HOME=/app\nWORKDIR /app\nENTRYPOINT [\"/paas/launch\"]\n");

        await using var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true);
        File(tar, "Dockerfile", dockerfile.ToString());
        File(tar, "paas-launch", Resource("launch.sh"), executable: true);
        using var reader = new TarReader(slug);
        while (await reader.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            if (entry.EntryType is TarEntryType.GlobalExtendedAttributes) continue;
            await tar.WriteEntryAsync(new PaxTarEntry(entry), ct);
        }
    }

    private static bool IsEnvName(string key) => key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(key[0]);

    /// <summary>Passes the build container's output on line by line, as the buildpacks write it.</summary>
    private static async Task RelayAsync(MultiplexedStream stream, Func<string, Task> say, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var decoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var partial = new StringBuilder();
        using var closing = ct.Register(stream.Dispose);
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try
            {
                read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
            {
                throw new OperationCanceledException("The build was cancelled.", e, ct);
            }
            if (read.EOF) break;
            var count = decoder.GetChars(buffer, 0, read.Count, chars, 0, flush: false);
            partial.Append(chars, 0, count);
            var text = partial.ToString();
            var end = text.LastIndexOf('\n');
            if (end < 0) continue;
            foreach (var line in text[..end].Split('\n')) await say(line.TrimEnd('\r'));
            partial.Clear().Append(text[(end + 1)..]);
        }
        if (partial.Length > 0) await say(partial.ToString());
    }

    /// <summary>The small files the driver leaves in /tmp/paas-result.</summary>
    private async Task<Dictionary<string, string>> ReadResultsAsync(string container, CancellationToken ct)
    {
        var results = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var archive = await docker.Containers.GetArchiveFromContainerAsync(container, new GetArchiveFromContainerParameters { Path = "/tmp/paas-result" }, false, ct);
            await using var stream = archive.Stream;
            using var reader = new TarReader(stream);
            while (await reader.GetNextEntryAsync(copyData: true, ct) is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
                using var text = new StreamReader(entry.DataStream);
                results[Path.GetFileName(entry.Name)] = await text.ReadToEndAsync(ct);
            }
        }
        catch (DockerContainerNotFoundException)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
        return results;
    }

    private static void Directory(TarWriter tar, string name) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

    private static void File(TarWriter tar, string name, string text, bool executable = false) =>
        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
            Mode = executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
        });

    private static string Resource(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Paas.Builder.Buildpacks.{name}")
            ?? throw new InvalidOperationException($"The builder was built without its resource {name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A buildpack ready to copy into the build container: its name (for messages) and a local directory.</summary>
public sealed record ResolvedBuildpack(string Name, string Directory);

/// <summary>
/// Turns a plan's buildpacks into local directories: shipped ones from the builder's own buildpacks
/// directory, paths as they are, git URLs cloned (shallow) into a temporary directory the caller deletes.
/// </summary>
public sealed class BuildpackFetcher(IOptions<BuilderOptions> options)
{
    public async Task<IReadOnlyList<ResolvedBuildpack>> ResolveAsync(BuildpackPlan plan, string scratch, Func<string, Task> say, CancellationToken ct)
    {
        var resolved = new List<ResolvedBuildpack>();
        foreach (var source in plan.Buildpacks)
        {
            switch (source)
            {
                case BuildpackSource.Shipped shipped:
                    resolved.Add(new ResolvedBuildpack(shipped.ShippedName, Path.Combine(options.Value.BuildpacksDirectory, shipped.ShippedName)));
                    break;
                case BuildpackSource.LocalPath local:
                    if (!System.IO.Directory.Exists(Path.Combine(local.Path, "bin")))
                        throw new BuildFailedException($"Buildpack {local.Path} is not a directory with bin/detect and bin/compile on the builder.");
                    resolved.Add(new ResolvedBuildpack(local.Path, local.Path));
                    break;
                case BuildpackSource.Git git:
                    await say($"-----> Fetching buildpack {git.Name}");
                    var target = Path.Combine(scratch, $"buildpack-{resolved.Count}");
                    await CloneAsync(git, target, ct);
                    resolved.Add(new ResolvedBuildpack(git.Name, target));
                    break;
            }
        }
        return resolved;
    }

    private async Task CloneAsync(BuildpackSource.Git git, string target, CancellationToken ct)
    {
        // A branch or tag clones shallow; anything else (a commit) needs the history to check it out.
        var cloned = await GitAsync(["clone", "--quiet", "--depth", "1", .. git.Ref is null ? Array.Empty<string>() : ["--branch", git.Ref], git.Url, target], ct);
        if (cloned.Code != 0 && git.Ref is not null)
        {
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);
            cloned = await GitAsync(["clone", "--quiet", git.Url, target], ct);
            if (cloned.Code == 0) cloned = await GitAsync(["-C", target, "checkout", "--quiet", git.Ref], ct);
        }
        if (cloned.Code != 0) throw new BuildFailedException($"Fetching buildpack {git.Name} failed: {cloned.Errors.Trim()}");
    }

    private async Task<(int Code, string Errors)> GitAsync(string[] arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(options.Value.Git) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await errors);
    }
}
