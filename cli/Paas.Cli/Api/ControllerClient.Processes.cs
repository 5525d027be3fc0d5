using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Paas.Cli.Api;

// pods/, scale/, run and logs: the app's processes.
public sealed partial class ControllerClient
{
    public const string NdjsonMediaType = "application/x-ndjson";

    public async Task<IReadOnlyList<Pod>> ListProcessesAsync(string app, CancellationToken cancellationToken) =>
        (await GetAsync<Page<Pod>>($"{AppPath(app)}pods/", cancellationToken)).Results;

    /// <summary>Sets how many processes of each type run (Deis's answer is a 204).</summary>
    public Task ScaleAsync(string app, IReadOnlyDictionary<string, int> counts, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, $"{AppPath(app)}scale/", JsonContent(counts), cancellationToken, DeployTimeout);

    /// <summary>
    /// Restarts every process, those of <paramref name="type"/>, or the one named
    /// <paramref name="name"/> (of <paramref name="type"/>); answers the new processes.
    /// </summary>
    public Task<IReadOnlyList<Pod>> RestartAsync(string app, string? type, string? name, CancellationToken cancellationToken)
    {
        var target = (type, name) switch
        {
            (null, _) => "",
            (_, null) => $"{Escape(type)}/",
            _ => $"{Escape(type)}/{Escape(name)}/",
        };
        return SendAsync<IReadOnlyList<Pod>>(
            HttpMethod.Post, $"{AppPath(app)}pods/{target}restart/", null, cancellationToken, timeout: DeployTimeout);
    }

    /// <summary>
    /// Runs a one-off process and hands its output to <paramref name="output"/> as the controller
    /// streams it (NDJSON <c>{"output"}</c> lines, then <c>{"exit_code"}</c>), or all at once when the
    /// controller answers plain JSON. No time limit: one-offs may run for hours.
    /// </summary>
    /// <returns>The process's exit code.</returns>
    public async Task<int> RunAsync(string app, string command, Func<string, Task> output, CancellationToken cancellationToken)
    {
        var path = $"{AppPath(app)}run"; // no trailing slash, as Deis has it
        var request = CreateRequest(HttpMethod.Post, path, JsonContent(new RunRequest(command)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(NdjsonMediaType)); // replaces the default Accept
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout: null, cancellationToken);

        if (response.Content.Headers.ContentType?.MediaType != NdjsonMediaType)
        {
            var result = await ReadJsonAsync<RunResult>(response, HttpMethod.Post, path, cancellationToken);
            if (!string.IsNullOrEmpty(result.Output))
            {
                await output(result.Output);
            }

            return result.ExitCode;
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var message = ParseRunMessage(line);
            var root = message.RootElement;
            if (root.TryGetProperty("output", out var chunk) && chunk.ValueKind == JsonValueKind.String)
            {
                await output(chunk.GetString()!);
            }

            if (root.TryGetProperty("exit_code", out var exitCode) && exitCode.ValueKind == JsonValueKind.Number)
            {
                return exitCode.GetInt32();
            }
        }

        throw new CliException("The controller ended the answer before the command finished (no exit code)");
    }

    private static JsonDocument ParseRunMessage(string line)
    {
        try
        {
            var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return document;
            }

            document.Dispose();
            throw new JsonException("not an object");
        }
        catch (JsonException e)
        {
            throw new CliException($"The controller streamed a line the CLI does not understand ({e.Message}): {line}", e);
        }
    }

    /// <summary>
    /// The app's newest <paramref name="lines"/> log lines, handed to <paramref name="text"/> as they
    /// arrive; with <paramref name="follow"/> the controller keeps the answer open and streams new
    /// lines until <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    public async Task StreamLogsAsync(string app, int lines, bool follow, Func<string, Task> text, CancellationToken cancellationToken)
    {
        var path = $"{AppPath(app)}logs?log_lines={lines}" + (follow ? "&follow=true" : ""); // no trailing slash, as Deis has it
        var request = CreateRequest(HttpMethod.Get, path, null);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/problem+json"));
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout: null, cancellationToken);

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var decoder = Encoding.UTF8.GetDecoder(); // keeps a character split across two reads whole
        var bytes = new byte[16 * 1024];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        while (true)
        {
            var read = await stream.ReadAsync(bytes, cancellationToken);
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: read == 0);
            if (count > 0)
            {
                await text(new string(chars, 0, count));
            }

            if (read == 0)
            {
                return;
            }
        }
    }
}
