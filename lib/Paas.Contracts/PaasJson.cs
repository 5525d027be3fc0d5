using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paas.Contracts;

/// <summary>
/// JSON as Deis Workflow's API writes it (snake_case names), used by every component and the CLI.
/// </summary>
public static class PaasJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.DictionaryKeyPolicy = null; // config keys, process types and the like keep their case
        options.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        // Messages and config values are shown to people: keep quotes and angle brackets readable.
        options.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        if (!options.Converters.OfType<DeisTimestampConverter>().Any()) options.Converters.Add(new DeisTimestampConverter());
        return options;
    }
}

/// <summary>
/// Timestamps as Deis writes them: UTC, "2026-11-23T10:00:00Z". Reading accepts any ISO 8601 form.
/// </summary>
public sealed class DeisTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>Header names shared by the components.</summary>
public static class PaasHeaders
{
    /// <summary>Deis's header for builder-to-controller calls; Paas's router and builder both use it with the service token.</summary>
    public const string ServiceAuth = "X-Deis-Builder-Auth";
}
