using System.CommandLine;
using System.Globalization;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>healthchecks:list</c>, <c>healthchecks:set</c>, <c>healthchecks:unset</c>: liveness (restart a
/// process that fails it) and readiness (send it traffic only while it passes) checks.
/// </summary>
internal static class HealthchecksCommands
{
    /// <summary>Deis's key for the web process's checks.</summary>
    private const string DefaultType = "web/cmd";

    private static readonly string[] Probes = ["liveness", "readiness"];

    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var type = new Option<string?>("--type", "-t")
        {
            Description = $"Only this process type's checks ({DefaultType} is the web process)",
            HelpName = "TYPE",
        };
        var json = CommonOptions.Json();
        var command = new Command("healthchecks:list", "Show an app's health checks") { appOption, type, json }.WithAliases("healthchecks");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var config = await client.GetConfigAsync(app, ct);
            var checks = Select(config, parse.GetValue(type));
            if (parse.GetValue(json))
            {
                cli.Output.Json(checks);
                return;
            }

            PrintChecks(cli, app, checks);
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var probe = ProbeArgument();
        var kind = new Argument<string>("KIND") { Description = "httpGet PATH | tcpSocket PORT | exec COMMAND..." };
        var words = new Argument<string[]>("ARGS")
        {
            Description = "httpGet: the path (/health); tcpSocket: the port; exec: the command (put -- before it if it has options)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var port = new Option<int?>("--port") { Description = "httpGet: the port the process listens on (default 5000)", HelpName = "PORT" };
        var headers = new Option<string[]>("--header", "-H")
        {
            Description = "httpGet: a request header, 'Name: value' (repeatable)",
            HelpName = "HEADER",
            AllowMultipleArgumentsPerToken = false,
        };
        var type = TypeOption();
        var initialDelay = NumberOption("--initial-delay-timeout", "Seconds after the start before the first check", 0, minimum: 0);
        var timeout = NumberOption("--timeout-seconds", "Seconds a check may take", 1, minimum: 1);
        var period = NumberOption("--period-seconds", "Seconds between checks", 2, minimum: 1);
        var success = NumberOption("--success-threshold", "Passed checks in a row that count as healthy again", 1, minimum: 1);
        var failure = NumberOption("--failure-threshold", "Failed checks in a row that count as unhealthy", 3, minimum: 1);
        var appOption = CommonOptions.App();
        var command = new Command(
            "healthchecks:set",
            "Set a liveness or readiness check: healthchecks:set readiness httpGet /health [--port 5000]; makes a release")
        {
            probe, kind, words, port, headers, type, initialDelay, timeout, period, success, failure, appOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var probeName = ProbeKey(parse.GetValue(probe)!);
            var check = Check(parse.GetValue(kind)!, parse.GetValue(words)!, parse.GetValue(port), parse.GetValue(headers) ?? []) with
            {
                InitialDelaySeconds = parse.GetValue(initialDelay),
                TimeoutSeconds = parse.GetValue(timeout),
                PeriodSeconds = parse.GetValue(period),
                SuccessThreshold = parse.GetValue(success),
                FailureThreshold = parse.GetValue(failure),
            };
            var processType = parse.GetValue(type)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(
                cli, app, processType, new Dictionary<string, Probe?> { [probeName] = check }, $"Applying the {parse.GetValue(probe)} check to {processType}", ct);
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var probes = new Argument<string[]>("PROBE")
        {
            Description = "liveness and/or readiness",
            Arity = ArgumentArity.OneOrMore,
        };
        var type = TypeOption();
        var appOption = CommonOptions.App();
        var command = new Command("healthchecks:unset", "Remove liveness or readiness checks; makes a release") { probes, type, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(probes)!.Select(ProbeKey).Distinct(StringComparer.Ordinal)
                .ToDictionary(name => name, Probe? (_) => null, StringComparer.Ordinal);
            var processType = parse.GetValue(type)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var what = string.Join(" and ", parse.GetValue(probes)!.Select(p => p.ToLowerInvariant()).Distinct());
            await ChangeAsync(cli, app, processType, names, $"Removing the {what} check from {processType}", ct);
        });
        return command;
    }

    private static async Task ChangeAsync(
        CliContext cli, string app, string type, Dictionary<string, Probe?> probes, string what, CancellationToken ct)
    {
        using var client = cli.ConnectAsUser();
        var change = new ConfigChange { Healthcheck = new Dictionary<string, IReadOnlyDictionary<string, Probe?>> { [type] = probes } };
        var config = await cli.Output.StepAsync(
            $"{what} of {app}", () => client.ChangeConfigAsync(app, change, ct), changed => ReleaseVersion.Done(changed.Release));
        cli.Output.Line();
        PrintChecks(cli, app, Select(config, type));
    }

    /// <summary>The checks of every type, or of one; types without checks left out.</summary>
    private static SortedDictionary<string, Dictionary<string, Probe?>> Select(AppConfig config, string? type)
    {
        var selected = new SortedDictionary<string, Dictionary<string, Probe?>>(StringComparer.Ordinal);
        foreach (var (name, probes) in config.Healthcheck ?? [])
        {
            if ((type is null || name == type) && probes is not null && probes.Values.Any(probe => probe is not null))
            {
                selected[name] = probes.Where(probe => probe.Value is not null).ToDictionary(StringComparer.Ordinal);
            }
        }

        return selected;
    }

    private static void PrintChecks(CliContext cli, string app, SortedDictionary<string, Dictionary<string, Probe?>> checks)
    {
        cli.Output.Header($"{app} Healthchecks");
        if (checks.Count == 0)
        {
            cli.Output.Line("No health checks");
            return;
        }

        foreach (var (type, probes) in checks)
        {
            cli.Output.Line();
            cli.Output.Line($"--- {type}");
            foreach (var name in Probes)
            {
                var key = ProbeKey(name);
                cli.Output.Line($"{name}: {(probes.TryGetValue(key, out var probe) && probe is not null ? Describe(probe) : "none")}");
            }
        }
    }

    /// <summary><c>httpGet /health on port 5000, every 2 s, timeout 1 s, after 0 s, 3 failures</c>.</summary>
    internal static string Describe(Probe probe)
    {
        var check = probe switch
        {
            { HttpGet: { } http } => $"httpGet {http.Path ?? "/"} on port {Number(http.Port)}"
                + (http.HttpHeaders is { Count: > 0 } list ? $" with {string.Join(", ", list.Select(h => $"{h.Name}: {h.Value}"))}" : ""),
            { TcpSocket: { } tcp } => $"tcpSocket on port {Number(tcp.Port)}",
            { Exec: { } exec } => $"exec {string.Join(' ', exec.Command ?? [])}",
            _ => "unknown check",
        };
        var text = $"{check}, every {Number(probe.PeriodSeconds)} s, timeout {Number(probe.TimeoutSeconds)} s, "
            + $"after {Number(probe.InitialDelaySeconds)} s, {Number(probe.FailureThreshold)} failures";
        return probe.SuccessThreshold is > 1 ? $"{text}, {probe.SuccessThreshold} successes" : text;
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static Probe Check(string kind, string[] words, int? port, string[] headers)
    {
        switch (kind.ToLowerInvariant())
        {
            case "httpget":
                if (words.Length != 1 || !words[0].StartsWith('/'))
                {
                    throw new CliException("httpGet takes the path to request, starting with / (e.g. httpGet /health --port 5000)");
                }

                var listen = port ?? 5000;
                return new Probe
                {
                    HttpGet = new HttpGetCheck
                    {
                        Path = words[0],
                        Port = ValidPort(listen, $"--port {listen}"),
                        HttpHeaders = headers.Length > 0 ? headers.Select(Header).ToList() : null,
                    },
                };
            case "tcpsocket":
                OnlyForHttpGet(port, headers);
                return words.Length == 1 && int.TryParse(words[0], NumberStyles.None, CultureInfo.InvariantCulture, out var tcpPort)
                    ? new Probe { TcpSocket = new TcpSocketCheck(ValidPort(tcpPort, words[0])) }
                    : throw new CliException("tcpSocket takes the port to connect to (e.g. tcpSocket 5000)");
            case "exec":
                OnlyForHttpGet(port, headers);
                return words.Length > 0
                    ? new Probe { Exec = new ExecCheck(words) }
                    : throw new CliException("exec takes the command to run (e.g. exec -- pg_isready -h localhost)");
            default:
                throw new CliException($"\"{kind}\" is not a kind of check: use httpGet, tcpSocket or exec");
        }
    }

    private static void OnlyForHttpGet(int? port, string[] headers)
    {
        if (port is not null || headers.Length > 0)
        {
            throw new CliException("--port and --header apply to httpGet checks only");
        }
    }

    private static int ValidPort(int port, string given) =>
        port is >= 1 and <= 65535 ? port : throw new CliException($"\"{given}\" is not a port (1 to 65535)");

    private static HttpHeaderValue Header(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            ? new HttpHeaderValue(text[..colon].Trim(), text[(colon + 1)..].Trim())
            : throw new CliException($"\"{text}\" is not a header; expected 'Name: value'");
    }

    /// <summary><c>livenessProbe</c> or <c>readinessProbe</c>.</summary>
    private static string ProbeKey(string probe) =>
        probe.ToLowerInvariant() switch
        {
            "liveness" => "livenessProbe",
            "readiness" => "readinessProbe",
            _ => throw new CliException($"\"{probe}\" is not a kind of health check: use liveness or readiness"),
        };

    private static Argument<string> ProbeArgument() =>
        new("PROBE") { Description = "liveness (restart the process when it fails) or readiness (no traffic while it fails)" };

    private static Option<string> TypeOption() => new("--type", "-t")
    {
        Description = $"The process type ({DefaultType}, the default, is Deis's name for the web process)",
        HelpName = "TYPE",
        DefaultValueFactory = _ => DefaultType,
    };

    private static Option<int> NumberOption(string name, string description, int defaultValue, int minimum)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", DefaultValueFactory = _ => defaultValue };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < minimum)
            {
                result.AddError($"{name} must be {minimum} or more");
            }
        });
        return option;
    }
}
