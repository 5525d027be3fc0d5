using System.Net;
using System.Text.Json;

namespace Paas.Cli.Api;

/// <summary>
/// Turns the controller's error answers into one readable line. The controller sends
/// ProblemDetails (<c>title</c>, <c>status</c>, <c>detail</c>), on a 400 also Deis's field arrays
/// (<c>{"id": ["..."]}</c>); an older Deis-style server sends a bare JSON string.
/// </summary>
public static class ControllerErrors
{
    // ProblemDetails members that are not messages about a field.
    private static readonly HashSet<string> ProblemMembers =
        new(StringComparer.OrdinalIgnoreCase) { "type", "title", "status", "detail", "instance", "traceId", "errors" };

    public static ControllerException ToException(HttpStatusCode status, string body, string controller) =>
        new((int)status, Message(status, body, controller));

    public static string Message(HttpStatusCode status, string body, string controller)
    {
        var parsed = Parse(body);
        switch (status)
        {
            case HttpStatusCode.Unauthorized:
                return $"Unauthorized: your token is missing or no longer valid. Log in again: paas auth:login {controller}";
            case HttpStatusCode.Forbidden:
                const string forbidden = "You do not have permission to do this.";
                return parsed.Detail is { } reason ? $"{forbidden} {reason}" : forbidden;
        }

        return parsed.Detail
            ?? (parsed.Fields.Count > 0 ? string.Join("; ", parsed.Fields) : null)
            ?? parsed.Title
            ?? parsed.Text
            ?? $"The controller answered {(int)status} {ReasonPhrase(status)}".TrimEnd();
    }

    private sealed record ParsedBody(string? Detail, string? Title, IReadOnlyList<string> Fields, string? Text);

    private static ParsedBody Parse(string body)
    {
        var trimmed = body.Trim();
        if (trimmed.Length == 0)
        {
            return new ParsedBody(null, null, [], null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(trimmed);
        }
        catch (JsonException)
        {
            // Not JSON: short plain text is worth showing, an HTML error page is not.
            var text = trimmed.StartsWith('<') || trimmed.Length > 300 ? null : trimmed.ReplaceLineEndings(" ");
            return new ParsedBody(null, null, [], text);
        }

        using (document)
        {
            var root = document.RootElement;
            return root.ValueKind switch
            {
                JsonValueKind.String => new ParsedBody(NonEmpty(root.GetString()), null, [], null),
                JsonValueKind.Object => new ParsedBody(
                    NonEmpty(StringMember(root, "detail")),
                    NonEmpty(StringMember(root, "title")),
                    FieldMessages(root),
                    null),
                _ => new ParsedBody(null, null, [], null),
            };
        }
    }

    /// <summary>
    /// Deis's field errors at the top level (<c>{"id": ["..."]}</c>) and ASP.NET's validation
    /// errors (<c>{"errors": {"id": ["..."]}}</c>), as <c>field: message</c>.
    /// <c>non_field_errors</c> (e.g. bad credentials) reads better without its key.
    /// </summary>
    private static List<string> FieldMessages(JsonElement root)
    {
        var messages = new List<string>();
        Collect(root, skipProblemMembers: true);
        if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Object)
        {
            Collect(errors, skipProblemMembers: false);
        }

        return messages;

        void Collect(JsonElement obj, bool skipProblemMembers)
        {
            foreach (var property in obj.EnumerateObject())
            {
                if (skipProblemMembers && ProblemMembers.Contains(property.Name))
                {
                    continue;
                }

                var texts = property.Value.ValueKind switch
                {
                    JsonValueKind.Array => property.Value.EnumerateArray()
                        .Where(item => item.ValueKind == JsonValueKind.String)
                        .Select(item => item.GetString()!),
                    JsonValueKind.String when !skipProblemMembers => [property.Value.GetString()!],
                    _ => [],
                };
                foreach (var text in texts)
                {
                    messages.Add(property.Name == "non_field_errors" ? text : $"{property.Name}: {text}");
                }
            }
        }
    }

    private static string? StringMember(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string? ReasonPhrase(HttpStatusCode status)
    {
        using var response = new HttpResponseMessage(status); // knows the standard phrases
        return response.ReasonPhrase;
    }
}
