using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paas.Cli.Api;

// The fields of the controller's answers the CLI uses (DEVELOPERS.md "The controller API").
// Timestamps stay strings: the CLI prints them as the controller wrote them.
// Unknown fields are kept in Extra so that --json shows the whole object, not just what we model.

public abstract record ApiObject
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record User : ApiObject
{
    public string Username { get; init; } = "";
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public bool IsSuperuser { get; init; }
    public bool IsStaff { get; init; }
    public bool IsActive { get; init; }
    public string? LastLogin { get; init; }
    public string? DateJoined { get; init; }
}

public sealed record App : ApiObject
{
    public string? Uuid { get; init; }
    public string Id { get; init; } = "";
    public string? Owner { get; init; }
    public string? Url { get; init; }
    public Dictionary<string, int>? Structure { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }

    /// <summary>Paas's addition to Deis's app: where to <c>git push</c>, e.g. <c>http://127.0.0.1:8001/demo.git</c>.</summary>
    public string? GitUrl { get; init; }

    /// <summary>Paas's addition: where the app answers, e.g. <c>http://demo.localhost:8080</c>.</summary>
    public string? WebUrl { get; init; }
}

public sealed record Release : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public int Version { get; init; }
    public string? Owner { get; init; }

    /// <summary>The build's uuid (Deis serialises the relation as its uuid), null before the first build.</summary>
    public string? Build { get; init; }

    /// <summary>The config's uuid.</summary>
    public string? Config { get; init; }

    public string? Summary { get; init; }
    public bool Failed { get; init; }
    public string? Exception { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

/// <summary>An app's config: environment, limits, health checks, tags (one object in Deis's API).</summary>
public sealed record AppConfig : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public string? Owner { get; init; }
    public Dictionary<string, string?>? Values { get; init; }
    public Dictionary<string, string?>? Memory { get; init; }
    public Dictionary<string, string?>? Cpu { get; init; }
    public Dictionary<string, string?>? Tags { get; init; }

    /// <summary>Credentials for a private registry (<c>username</c>, <c>password</c>); the controller masks passwords.</summary>
    public Dictionary<string, string?>? Registry { get; init; }

    /// <summary>Process type (Deis's key for web is <c>web/cmd</c>) to probe kind (<c>livenessProbe</c>, <c>readinessProbe</c>).</summary>
    public Dictionary<string, Dictionary<string, Probe?>?>? Healthcheck { get; init; }

    public string? Created { get; init; }
    public string? Updated { get; init; }

    /// <summary>Paas's addition to the answer of a change: the release it made (its version).</summary>
    public JsonElement? Release { get; init; }
}

/// <summary>A Kubernetes-style probe; the names are Kubernetes's (camelCase), as Deis passes them through.</summary>
public sealed record Probe
{
    [JsonPropertyName("initialDelaySeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? InitialDelaySeconds { get; init; }

    [JsonPropertyName("timeoutSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? TimeoutSeconds { get; init; }

    [JsonPropertyName("periodSeconds"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PeriodSeconds { get; init; }

    [JsonPropertyName("successThreshold"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? SuccessThreshold { get; init; }

    [JsonPropertyName("failureThreshold"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FailureThreshold { get; init; }

    [JsonPropertyName("httpGet"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public HttpGetCheck? HttpGet { get; init; }

    [JsonPropertyName("tcpSocket"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TcpSocketCheck? TcpSocket { get; init; }

    [JsonPropertyName("exec"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public ExecCheck? Exec { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record HttpGetCheck
{
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    [JsonPropertyName("port")]
    public int? Port { get; init; }

    [JsonPropertyName("httpHeaders"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HttpHeaderValue>? HttpHeaders { get; init; }
}

public sealed record HttpHeaderValue(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value);

public sealed record TcpSocketCheck([property: JsonPropertyName("port")] int? Port);

public sealed record ExecCheck([property: JsonPropertyName("command")] IReadOnlyList<string>? Command);

/// <summary>
/// A partial config for <c>POST config/</c>: only the parts that are set are sent, and in them
/// a null value unsets that key.
/// </summary>
public sealed record ConfigChange
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string?>? Values { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string?>? Memory { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string?>? Cpu { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string?>? Tags { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string?>? Registry { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Probe?>>? Healthcheck { get; init; }
}

/// <summary>A process (Deis calls them pods).</summary>
public sealed record Pod : ApiObject
{
    public string Name { get; init; } = "";
    public string? State { get; init; }
    public string Type { get; init; } = "";

    /// <summary><c>v3</c>.</summary>
    public string? Release { get; init; }

    public string? Started { get; init; }

    /// <summary>Paas's addition: how often the process was restarted after it stopped.</summary>
    public int? Restarts { get; init; }
}

public sealed record Build : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public string? Owner { get; init; }
    public string? Image { get; init; }
    public string? Sha { get; init; }
    public Dictionary<string, string>? Procfile { get; init; }

    /// <summary>Deis sends the Dockerfile's text, Paas a boolean; shown as given.</summary>
    public JsonElement? Dockerfile { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }

    /// <summary>Paas's addition: how the build came about (e.g. a git push or an image).</summary>
    public string? Kind { get; init; }

    /// <summary>The release the build made, when the answer says (a version, or <c>{"version": N}</c>).</summary>
    public JsonElement? Release { get; init; }

    /// <summary>Paas's build record: <c>succeeded</c> or <c>failed</c>, why it failed, seconds per phase, the build's output.</summary>
    public string? Status { get; init; }

    public string? Failure { get; init; }
    public Dictionary<string, double>? Phases { get; init; }
    public string? Log { get; init; }
}

/// <summary>Paas's addition: one entry of an app's activity.</summary>
public sealed record AppEvent : ApiObject
{
    public string? Created { get; init; }
    public string? User { get; init; }
    public string? Kind { get; init; }
    public string? Message { get; init; }
}

public sealed record SshKey : ApiObject
{
    public string Id { get; init; } = "";
    public string? Public { get; init; }
    public string? Fingerprint { get; init; }
    public string? Owner { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

public sealed record Domain : ApiObject
{
    [JsonPropertyName("domain")]
    public string Name { get; init; } = "";

    public string? App { get; init; }
    public string? Owner { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

public sealed record Certificate : ApiObject
{
    public string Name { get; init; } = "";
    public string? CommonName { get; init; }
    public IReadOnlyList<string>? San { get; init; }
    public string? Expires { get; init; }
    public string? Starts { get; init; }
    public string? Fingerprint { get; init; }
    public string? Issuer { get; init; }
    public string? Subject { get; init; }
    public IReadOnlyList<string>? Domains { get; init; }
    public string? Owner { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

/// <summary>An app's settings: what changes routing, not the processes (no release).</summary>
public sealed record AppSettings : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public string? Owner { get; init; }
    public bool? Maintenance { get; init; }

    /// <summary>Null means routable (Deis's default).</summary>
    public bool? Routable { get; init; }

    public IReadOnlyList<string>? Whitelist { get; init; }

    /// <summary>CPU autoscaling rules by process type (Kubernetes only).</summary>
    public IReadOnlyDictionary<string, AutoscaleRule>? Autoscale { get; init; }

    public string? Created { get; init; }
    public string? Updated { get; init; }
}

/// <summary>Between <see cref="Min"/> and <see cref="Max"/> processes, aiming at <see cref="CpuPercent"/> of their CPU limit.</summary>
public sealed record AutoscaleRule(int Min, int Max, int CpuPercent);

/// <summary>An extra service: requests whose path matches <see cref="PathPattern"/> go to <see cref="ProcfileType"/>.</summary>
public sealed record AppServiceRoute(string ProcfileType, string PathPattern);

public sealed record AppServices
{
    public IReadOnlyList<AppServiceRoute> Services { get; init; } = [];
}

public sealed record Whitelist
{
    public IReadOnlyList<string> Addresses { get; init; } = [];
}

public sealed record TlsSettings : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public string? Owner { get; init; }
    public bool? HttpsEnforced { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

/// <summary>Deis's (DRF's) list page.</summary>
public sealed record Page<T>
{
    public int Count { get; init; }
    public string? Next { get; init; }
    public string? Previous { get; init; }
    public IReadOnlyList<T> Results { get; init; } = [];
}

public sealed record RegisterRequest(string Username, string Password, string Email);

public sealed record PasswordChange
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Username { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Password { get; init; }

    public required string NewPassword { get; init; }
}

internal sealed record LoginRequest(string Username, string Password);

internal sealed record TokenResponse(string? Token);

internal sealed record CreateAppRequest(string Id);

internal sealed record RunRequest(string Command);

internal sealed record RunResult(int ExitCode, string? Output);

/// <summary>Release numbers as the CLI prints them.</summary>
public static class ReleaseVersion
{
    /// <summary>
    /// <c>v5</c> from what an answer says about the release it made: <c>5</c>, <c>"5"</c>,
    /// <c>"v5"</c> or <c>{"version": 5}</c>; null when it says nothing usable.
    /// </summary>
    public static string? Label(JsonElement? release)
    {
        if (release is not { } element)
        {
            return null;
        }

        return element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt64(out var number) => $"v{number.ToString(CultureInfo.InvariantCulture)}",
            JsonValueKind.String when element.GetString() is { Length: > 0 } text => text.StartsWith('v') ? text : $"v{text}",
            JsonValueKind.Object when element.TryGetProperty("version", out var version) => Label(version),
            _ => null,
        };
    }

    /// <summary><c>done, v5</c>, or <c>done</c> when the answer names no release.</summary>
    public static string Done(JsonElement? release) => Label(release) is { } label ? $"done, {label}" : "done";

    /// <summary><c>v3</c> or <c>3</c>.</summary>
    public static int Parse(string text)
    {
        var digits = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new CliException($"\"{text}\" is not a release version; expected something like v3");
    }
}
