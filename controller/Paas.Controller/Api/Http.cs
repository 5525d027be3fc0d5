using System.Text.Json;
using System.Text.Json.Nodes;
using Paas.Contracts;
using Paas.Controller.Auth;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>Small helpers the endpoint classes share.</summary>
public static class Http
{
    /// <summary>
    /// Reads a JSON body; an empty body gives null (the deis CLI sends none for, e.g., `apps:create`
    /// without a name). Invalid JSON is a 400 that says what is wrong.
    /// </summary>
    public static async Task<T?> ReadJsonAsync<T>(this HttpRequest request) where T : class
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonSerializer.Deserialize<T>(text, PaasJson.Options);
        }
        catch (JsonException e)
        {
            throw new ValidationFailedException("non_field_errors", $"The request body is not the JSON this endpoint expects: {e.Message}");
        }
    }

    /// <summary>Reads a JSON object body as a tree, for partial updates where null means "unset".</summary>
    public static async Task<JsonObject> ReadJsonObjectAsync(this HttpRequest request)
    {
        var node = await request.ReadJsonAsync<JsonNode>();
        return node switch
        {
            null => [],
            JsonObject o => o,
            _ => throw new ValidationFailedException("non_field_errors", "The request body must be a JSON object."),
        };
    }

    public static Caller Caller(this HttpContext context) => Auth.Caller.From(context.User);
}
