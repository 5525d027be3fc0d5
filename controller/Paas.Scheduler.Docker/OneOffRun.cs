using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>
/// `paas run`: a container from the release's image running one shell command, its output passed on as it
/// is written, removed once it exited, timed out or the caller gave up.
/// </summary>
internal sealed class OneOffRun(IDockerClient docker, Containers containers, ILogger logger)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(10);

    /// <summary>The exit code of a command stopped after its timeout, as coreutils' timeout(1) uses.</summary>
    public const int TimedOutExitCode = 124;

    public async Task<int> RunAsync(OneOffSpec spec, Func<string, Task> output, CancellationToken ct)
    {
        var timeout = spec.Timeout ?? DefaultTimeout;
        await containers.EnsureImageAsync(spec.Image, spec.PullCredentials, ct);
        var container = await containers.CreateAsync($"{spec.App}-{ContainerLabels.OneOffType}", ContainerLabels.OneOffType,
            ContainerSpecs.ForOneOff(spec), ct);
        var relay = new OutputRelay(output);
        try
        {
            // Attached before it starts, so not even the first byte is missed.
            using var stream = await docker.Containers.AttachContainerAsync(container.Id, false,
                new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, ct);
            await containers.StartAsync(container.Id, ct);
            // The timeout bounds the command's own time, not the engine's to set it up.
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
            limit.CancelAfter(timeout);
            try
            {
                await relay.CopyAsync(stream, limit.Token);
                var exit = await docker.Containers.WaitContainerAsync(container.Id, limit.Token);
                return (int)exit.StatusCode;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                logger.LogInformation("One-off {Process} of {App} stopped after its timeout of {Timeout}", container.Name, spec.App, timeout);
                await relay.WriteLineAsync($"Stopped after {Describe(timeout)}, the time a one-off process may run (exit code {TimedOutExitCode}).");
                return TimedOutExitCode;
            }
        }
        finally
        {
            // Force-removing kills it first: also when the caller went away or the timeout struck.
            await containers.RemoveAsync(container.Id, CancellationToken.None);
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 ? $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? "" : "s")}"
        : $"{span.TotalSeconds:0.#} second{(span.TotalSeconds == 1 ? "" : "s")}";

    /// <summary>Decodes the two output streams as UTF-8 (a character split across reads stays whole) and passes each chunk on.</summary>
    private sealed class OutputRelay(Func<string, Task> output)
    {
        private readonly Decoder stdout = Encoding.UTF8.GetDecoder();
        private readonly Decoder stderr = Encoding.UTF8.GetDecoder();
        private bool atLineStart = true;

        public async Task CopyAsync(MultiplexedStream stream, CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
            while (true)
            {
                var read = await DockerStreams.ReadAsync(stream, () => stream.ReadOutputAsync(buffer, 0, buffer.Length, ct), ct);
                if (read.EOF) return;
                var decoder = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
                var count = decoder.GetChars(buffer, 0, read.Count, chars, 0, flush: false);
                if (count > 0) await WriteAsync(new string(chars, 0, count));
            }
        }

        /// <summary>A line of our own, on a line of its own.</summary>
        public Task WriteLineAsync(string line) => WriteAsync((atLineStart ? "" : "\n") + line + "\n");

        private Task WriteAsync(string text)
        {
            atLineStart = text.EndsWith('\n');
            return output(text);
        }
    }
}
