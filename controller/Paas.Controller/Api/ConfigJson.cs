using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>
/// Deis's config document: partial updates where null unsets, and health checks in Kubernetes's
/// probe shape (camelCase) under process-type keys such as "web/cmd".
/// </summary>
public static class ConfigJson
{
    private static readonly string[] ProbeKinds = ["httpGet", "tcpSocket", "exec"];

    private static readonly string[] Fields = ["values", "memory", "cpu", "tags", "registry", "healthcheck", "termination_grace_period"];

    public static ConfigChange ReadChange(JsonObject body)
    {
        var unknown = body.Select(p => p.Key).Where(k => !Fields.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("non_field_errors",
                $"Unknown config field(s) {string.Join(", ", unknown)}; the fields are {string.Join(", ", Fields)}.");
        return new ConfigChange(
            Values: Strings(body, "values"),
            Memory: Strings(body, "memory"),
            Cpu: Strings(body, "cpu"),
            Tags: Strings(body, "tags"),
            Registry: Strings(body, "registry"),
            Healthcheck: Healthchecks(body),
            TerminationGracePeriod: Grace(body));
    }

    private static Dictionary<string, string?>? Strings(JsonObject body, string field)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null) return null;
        if (node is not JsonObject map) throw new ValidationFailedException(field, $"{field} must be an object of keys to values.");
        return map.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            null => null,
            JsonValue v when v.TryGetValue<string>(out var text) => text,
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => throw new ValidationFailedException(field, $"The value of {kv.Key} in {field} must be a string (or null to unset it)."),
        });
    }

    private static Dictionary<string, int?>? Grace(JsonObject body)
    {
        var raw = Strings(body, "termination_grace_period");
        return raw?.ToDictionary(kv => kv.Key, kv => kv.Value is null ? (int?)null
            : int.TryParse(kv.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds
            : throw new ValidationFailedException("termination_grace_period", $"The grace period of {kv.Key} must be whole seconds, not '{kv.Value}'."));
    }

    private static Dictionary<string, HealthcheckChange?>? Healthchecks(JsonObject body)
    {
        if (!body.TryGetPropertyValue("healthcheck", out var node) || node is null) return null;
        if (node is not JsonObject map) throw new ValidationFailedException("healthcheck", "healthcheck must be an object keyed by process type.");
        var result = new Dictionary<string, HealthcheckChange?>(StringComparer.Ordinal);
        foreach (var (type, value) in map)
        {
            if (value is null)
            {
                result[type] = null;
                continue;
            }
            if (value is not JsonObject probes)
                throw new ValidationFailedException("healthcheck", $"The health checks of {type} must be an object with livenessProbe and/or readinessProbe.");
            var unknown = probes.Select(p => p.Key).Where(k => k is not ("livenessProbe" or "readinessProbe")).ToList();
            if (unknown.Count > 0)
                throw new ValidationFailedException("healthcheck", $"Unknown check(s) {string.Join(", ", unknown)} for {type}: use livenessProbe or readinessProbe.");
            var hasLiveness = probes.TryGetPropertyValue("livenessProbe", out var liveness);
            var hasReadiness = probes.TryGetPropertyValue("readinessProbe", out var readiness);
            result[type] = new HealthcheckChange(
                liveness is null ? null : ReadProbe(liveness, $"liveness check of {type}"),
                readiness is null ? null : ReadProbe(readiness, $"readiness check of {type}"),
                UnsetLiveness: hasLiveness && liveness is null,
                UnsetReadiness: hasReadiness && readiness is null);
        }
        return result;
    }

    private static Probe ReadProbe(JsonNode node, string where)
    {
        if (node is not JsonObject o) throw new ValidationFailedException("healthcheck", $"The {where} must be an object.");
        int Int(string name, int fallback) => o[name] switch
        {
            null => fallback,
            JsonValue v when v.TryGetValue<int>(out var i) => i,
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var i) => i,
            _ => throw new ValidationFailedException("healthcheck", $"{name} of the {where} must be a whole number."),
        };
        var kinds = ProbeKinds.Where(o.ContainsKey).ToList();
        if (kinds.Count != 1)
            throw new ValidationFailedException("healthcheck", $"The {where} needs exactly one of httpGet, tcpSocket or exec.");
        Probe probe;
        switch (kinds[0])
        {
            case "httpGet":
                var http = o["httpGet"] as JsonObject ?? throw new ValidationFailedException("healthcheck", $"httpGet of the {where} must be an object.");
                var headers = (http["httpHeaders"] as JsonArray)?.OfType<JsonObject>()
                    .ToDictionary(h => h["name"]?.GetValue<string>() ?? "", h => h["value"]?.GetValue<string>() ?? "");
                probe = new Probe(ProbeKind.HttpGet, Path: http["path"]?.GetValue<string>() ?? "/", Port: Port(http, where), Headers: headers);
                break;
            case "tcpSocket":
                var tcp = o["tcpSocket"] as JsonObject ?? throw new ValidationFailedException("healthcheck", $"tcpSocket of the {where} must be an object.");
                probe = new Probe(ProbeKind.TcpSocket, Port: Port(tcp, where));
                break;
            default:
                var exec = o["exec"] as JsonObject ?? throw new ValidationFailedException("healthcheck", $"exec of the {where} must be an object.");
                var command = (exec["command"] as JsonArray)?.Select(c => c?.GetValue<string>() ?? "").ToList();
                probe = new Probe(ProbeKind.Exec, Command: command);
                break;
        }
        return probe with
        {
            InitialDelaySeconds = Int("initialDelaySeconds", 0),
            TimeoutSeconds = Int("timeoutSeconds", 1),
            PeriodSeconds = Int("periodSeconds", 10),
            SuccessThreshold = Int("successThreshold", 1),
            FailureThreshold = Int("failureThreshold", 3),
        };
    }

    private static int? Port(JsonObject o, string where) => o["port"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue<int>(out var port) => port,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var port) => port,
        _ => throw new ValidationFailedException("healthcheck", $"The port of the {where} must be a number."),
    };

    public static JsonObject Write(Config config, string app, int? release)
    {
        var healthcheck = new JsonObject();
        foreach (var (type, check) in config.Healthchecks.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var probes = new JsonObject();
            if (check.Liveness is { } l) probes["livenessProbe"] = WriteProbe(l);
            if (check.Readiness is { } r) probes["readinessProbe"] = WriteProbe(r);
            healthcheck[type] = probes;
        }
        var result = new JsonObject
        {
            ["uuid"] = config.Id,
            ["app"] = app,
            ["owner"] = config.Owner,
            ["values"] = Map(config.Values),
            ["memory"] = Map(config.Memory),
            ["cpu"] = Map(config.Cpu),
            ["tags"] = Map(config.Tags),
            ["registry"] = Map(config.Registry.ToDictionary(kv => kv.Key, kv => kv.Key.Contains("password", StringComparison.OrdinalIgnoreCase) ? "********" : kv.Value)),
            ["healthcheck"] = healthcheck,
            ["termination_grace_period"] = Map(config.TerminationGracePeriod.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(CultureInfo.InvariantCulture))),
            ["created"] = config.Created.UtcDateTime.ToString(Contracts.DeisTimestampConverter.Format, CultureInfo.InvariantCulture),
            ["updated"] = config.Updated.UtcDateTime.ToString(Contracts.DeisTimestampConverter.Format, CultureInfo.InvariantCulture),
        };
        if (release is { } version) result["release"] = version;
        return result;
    }

    private static JsonObject Map(IReadOnlyDictionary<string, string> map)
    {
        var o = new JsonObject();
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal)) o[key] = value;
        return o;
    }

    public static JsonObject WriteProbe(Probe probe)
    {
        var o = new JsonObject
        {
            ["initialDelaySeconds"] = probe.InitialDelaySeconds,
            ["timeoutSeconds"] = probe.TimeoutSeconds,
            ["periodSeconds"] = probe.PeriodSeconds,
            ["successThreshold"] = probe.SuccessThreshold,
            ["failureThreshold"] = probe.FailureThreshold,
        };
        switch (probe.Kind)
        {
            case ProbeKind.HttpGet:
                o["httpGet"] = new JsonObject
                {
                    ["path"] = probe.Path,
                    ["port"] = probe.Port ?? Domain.Scheduling.DeploymentSpec.WebPort,
                    ["httpHeaders"] = new JsonArray((probe.Headers ?? new Dictionary<string, string>())
                        .Select(h => (JsonNode)new JsonObject { ["name"] = h.Key, ["value"] = h.Value }).ToArray()),
                };
                break;
            case ProbeKind.TcpSocket:
                o["tcpSocket"] = new JsonObject { ["port"] = probe.Port ?? Domain.Scheduling.DeploymentSpec.WebPort };
                break;
            default:
                o["exec"] = new JsonObject { ["command"] = new JsonArray((probe.Command ?? []).Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()) };
                break;
        }
        return o;
    }
}
