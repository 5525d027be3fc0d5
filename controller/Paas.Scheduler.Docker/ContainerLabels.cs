using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Paas.Domain;

namespace Paas.Scheduler.Docker;

/// <summary>
/// What a container says about itself. Docker keeps no other record of the spec a container was made
/// from, so everything the scheduler needs later (after a controller restart too) is written here at
/// creation: app, process type, release, stop grace and liveness check.
/// </summary>
internal static class ContainerLabels
{
    public const string Heritage = "paas.heritage";
    public const string HeritageValue = "paas";
    public const string App = "paas.app";
    public const string Type = "paas.type";
    public const string Release = "paas.release";

    /// <summary>Marks one-off processes (`paas run`), which are never app processes, whatever their type label says.</summary>
    public const string OneOff = "paas.oneoff";

    /// <summary>Seconds between SIGTERM and SIGKILL when the process stops.</summary>
    public const string Grace = "paas.grace";

    /// <summary>The liveness check as compact JSON (see <see cref="ProbeJson"/>).</summary>
    public const string Liveness = "paas.liveness";

    public const string OneOffType = "run";

    public static int Version(IDictionary<string, string> labels) =>
        labels.TryGetValue(Release, out var text) && int.TryParse(text, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public static string TypeOf(IDictionary<string, string> labels) => labels.TryGetValue(Type, out var type) ? type : "";

    public static bool IsOneOff(IDictionary<string, string> labels) => labels.ContainsKey(OneOff);

    /// <summary>The container's own grace, or <paramref name="fallback"/> for containers made before it was recorded.</summary>
    public static uint GraceSeconds(IDictionary<string, string> labels, uint fallback) =>
        labels.TryGetValue(Grace, out var text) && uint.TryParse(text, CultureInfo.InvariantCulture, out var seconds) ? seconds : fallback;

    /// <summary>The liveness check, or null when there is none or the label cannot be read.</summary>
    public static Probe? LivenessOf(IDictionary<string, string> labels) =>
        labels.TryGetValue(Liveness, out var json) ? ProbeJson.Read(json) : null;
}

/// <summary>A probe as compact JSON, for a container label.</summary>
internal static class ProbeJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Write(Probe probe) => JsonSerializer.Serialize(probe, Options);

    public static Probe? Read(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Probe>(json, Options);
        }
        catch (JsonException)
        {
            return null; // written by someone else; a container without a readable check is simply not checked
        }
    }
}
