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

    /// <summary>For <c>--json</c>: the same names, indented for reading.</summary>
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented) => new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null, // process types and config keys keep their case
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = indented,
    };
}
