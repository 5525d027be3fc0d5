using System.Text.Json;
using Docker.DotNet;

namespace Paas.Scheduler.Docker;

internal static class DockerErrors
{
    /// <summary>
    /// The engine's explanation for people: its error bodies are <c>{"message": "..."}</c>, which users would
    /// otherwise see as raw JSON in `git push` and CLI errors.
    /// </summary>
    public static string Message(DockerApiException e)
    {
        var body = e.ResponseBody?.Trim() ?? "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                return message.GetString()!;
        }
        catch (JsonException)
        {
            // not JSON: the text as it is
        }
        return body.Length > 0 ? body : e.StatusCode.ToString();
    }
}
