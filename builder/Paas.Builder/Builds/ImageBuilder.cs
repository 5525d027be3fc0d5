using Docker.DotNet;
using Docker.DotNet.Models;
using Paas.Domain;

namespace Paas.Builder.Builds;

/// <summary>Builds images from a build context and pushes them to the registry, through the Docker engine's API.</summary>
public sealed class ImageBuilder(IDockerClient docker)
{
    /// <summary>Builds <paramref name="context"/> (a tar) into <paramref name="image"/>, passing each output line on.</summary>
    public async Task BuildAsync(Stream context, string image, Func<string, Task> output, CancellationToken ct)
    {
        string? error = null;
        var lines = new LineSplitter();
        var pending = new List<string>();
        var progress = new InlineProgress<JSONMessage>(message =>
        {
            if (message.Error is { } e) error = e.Message;
            else if (!string.IsNullOrEmpty(message.ErrorMessage)) error = message.ErrorMessage;
            if (message.Stream is { } text) lock (pending) pending.AddRange(lines.Add(text));
        });
        var build = docker.Images.BuildImageFromDockerfileAsync(new ImageBuildParameters
        {
            Tags = [image],
            Dockerfile = "Dockerfile",
            Remove = true,
            ForceRemove = true,
        }, context, [], new Dictionary<string, string>(), progress, ct);

        // Reports arrive on the thread reading the engine's stream; pass them on while the build runs.
        while (!build.IsCompleted)
        {
            await Task.WhenAny(build, Task.Delay(50, ct));
            await FlushAsync(pending, output);
        }
        try
        {
            await build;
        }
        catch (DockerApiException e)
        {
            error ??= e.ResponseBody.Trim();
        }
        lock (pending) pending.AddRange(lines.Rest());
        await FlushAsync(pending, output);
        if (error is not null) throw new BuildFailedException(error.Trim());
    }

    public async Task PushAsync(string image, CancellationToken ct)
    {
        var (repository, tag) = ImageReference.Split(image);
        string? error = null;
        try
        {
            await docker.Images.PushImageAsync(repository, new ImagePushParameters { Tag = tag }, new AuthConfig(),
                new InlineProgress<JSONMessage>(m => { if (m.Error is { } e) error = e.Message; else if (!string.IsNullOrEmpty(m.ErrorMessage)) error = m.ErrorMessage; }), ct);
        }
        catch (DockerApiException e)
        {
            error ??= e.ResponseBody.Trim();
        }
        if (error is not null) throw new BuildFailedException($"Pushing {image} to the registry failed: {error}");
    }

    private static async Task FlushAsync(List<string> pending, Func<string, Task> output)
    {
        string[] batch;
        lock (pending)
        {
            batch = [.. pending];
            pending.Clear();
        }
        foreach (var line in batch) await output(line);
    }

    /// <summary>
    /// Reports on the caller's thread, in order (Progress&lt;T&gt; posts each report to the thread pool,
    /// which can reorder build output).
    /// </summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>Docker's build stream splits text anywhere; this gives whole lines.</summary>
    private sealed class LineSplitter
    {
        private string partial = "";

        public IEnumerable<string> Add(string text)
        {
            var all = partial + text;
            var parts = all.Split('\n');
            partial = parts[^1];
            return parts[..^1].Select(p => p.TrimEnd('\r'));
        }

        public IEnumerable<string> Rest()
        {
            var rest = partial;
            partial = "";
            return rest.Length > 0 ? [rest] : [];
        }
    }
}
