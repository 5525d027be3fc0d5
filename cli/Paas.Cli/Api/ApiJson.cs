using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paas.Cli.Api;

/// <summary>
/// The controller's JSON conventions (snake_case, as <c>Paas.Contracts.PaasJson.Options</c>),
/// repeated here because the CLI ships on its own and does not reference the platform's libraries.
/// </summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);

    /// <summary>For <c>--json</c>: the same names, indented for reading, non-ASCII text as it is.</summary>
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null, // process types and config keys keep their case
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // Reading only: a port or a count sent as "5000" still reads as a number.
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        Converters = { new LenientStringConverter() },
        WriteIndented = indented,
        // Printed for a person or a script, never embedded in HTML: "é" reads better than "\u00E9".
        Encoder = indented ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : null,
    };

    /// <summary>
    /// Reads a number or a boolean where the CLI expects text (Deis sends limits and timeouts as
    /// strings, a server might not); writes strings as strings.
    /// </summary>
    private sealed class LenientStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                _ => throw new JsonException($"expected text, found {reader.TokenType}"),
            };

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
