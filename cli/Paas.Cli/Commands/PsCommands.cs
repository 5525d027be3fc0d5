using System.CommandLine;
using System.Globalization;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>ps:list</c>, <c>ps:scale</c>, <c>ps:restart</c>: the app's processes.</summary>
internal static class PsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Scale(cli), Restart(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("ps:list", "List an app's processes by type: state, release, start time, restarts") { appOption, json }
            .WithAliases("ps");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var processes = await client.ListProcessesAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(processes);
                return;
            }

            PrintProcesses(cli, app, processes);
        });
        return command;
    }

    private static Command Scale(CliContext cli)
    {
        var counts = new Argument<string[]>("TYPE=N")
        {
            Description = "How many processes of each type to run, e.g. web=2 worker=1",
            Arity = ArgumentArity.OneOrMore,
        };
        var appOption = CommonOptions.App();
        var command = new Command("ps:scale", "Run more or fewer processes of a type") { counts, appOption }.WithAliases("scale");

        command.SetAction(async (parse, ct) =>
        {
            var formation = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (type, text) in Assignments.Parse(parse.GetValue(counts)!, "TYPE=N", "ps:scale web=2"))
            {
                formation[type] = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count)
                    ? count
                    : throw new CliException($"\"{type}={text}\": the number of processes must be a whole number of 0 or more (e.g. {type}=2)");
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync("Scaling processes", () => client.ScaleAsync(app, formation, ct));
            PrintProcesses(cli, app, await client.ListProcessesAsync(app, ct));
        });
        return command;
    }

    private static Command Restart(CliContext cli)
    {
        var target = new Argument<string?>("TYPE|NAME")
        {
            Description = "A process type (web) or one process's name (as paas ps shows it); all processes when missing",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var appOption = CommonOptions.App();
        var command = new Command("ps:restart", "Replace an app's processes with new ones") { target, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var given = parse.GetValue(target);
            using var client = cli.ConnectAsUser();

            string? type = given, name = null, what = given is null ? "all processes" : $"{given} processes";
            if (given is not null && given.StartsWith($"{app}-", StringComparison.Ordinal))
            {
                // A process name, <app>-<type>-<suffix>; the type comes from the process list, since types may contain hyphens.
                var processes = await client.ListProcessesAsync(app, ct);
                type = processes.FirstOrDefault(process => process.Name == given)?.Type ?? TypeFromName(app, given);
                name = given;
                what = given;
            }

            var restarted = await cli.Output.StepAsync(
                $"Restarting {what} of {app}", () => client.RestartAsync(app, type, name, ct), _ => "done");
            if (restarted.Count == 0)
            {
                throw new CliException("Could not find any processes to restart");
            }

            PrintProcesses(cli, app, restarted);
        });
        return command;
    }

    /// <summary>The type in <c>&lt;app&gt;-&lt;type&gt;-&lt;suffix&gt;</c>, for a process the list does not (yet) show.</summary>
    private static string TypeFromName(string app, string name)
    {
        var rest = name[(app.Length + 1)..];
        var lastDash = rest.LastIndexOf('-');
        return lastDash > 0 ? rest[..lastDash] : rest;
    }

    /// <summary>
    /// <c>=== web (2)</c>, then one line per process:
    /// <c>demo-web-x1y2z up (v3)  started 2026-11-23T10:00:00Z  restarts 0</c>.
    /// </summary>
    private static void PrintProcesses(CliContext cli, string app, IReadOnlyList<Pod> processes)
    {
        if (processes.Count == 0)
        {
            cli.Output.Line($"{app} has no processes running (start some with: paas ps:scale web=1 -a {app})");
            return;
        }

        var first = true;
        foreach (var group in processes.GroupBy(process => process.Type).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                cli.Output.Line();
            }

            first = false;
            cli.Output.Header($"{group.Key} ({group.Count()})");
            foreach (var process in group.OrderBy(process => process.Name, StringComparer.Ordinal))
            {
                var line = $"{process.Name} {process.State ?? "unknown"} ({process.Release ?? "no release"})";
                if (process.Started is { Length: > 0 } started)
                {
                    line += $"  started {started}";
                }

                if (process.Restarts is { } restarts)
                {
                    line += $"  restarts {restarts}";
                }

                cli.Output.Line(line);
            }
        }
    }
}
