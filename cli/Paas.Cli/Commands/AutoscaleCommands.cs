using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>autoscale:list</c>, <c>autoscale:set</c>, <c>autoscale:unset</c>: CPU autoscaling of a process type, an app
/// setting (no release) that the Kubernetes scheduler turns into a HorizontalPodAutoscaler. Deis's commands and API.
/// </summary>
internal static class AutoscaleCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("autoscale:list", "Show which process types scale with their CPU use") { appOption, json }
            .WithAliases("autoscale");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var rules = (await client.GetSettingsAsync(app, ct)).Autoscale ?? new Dictionary<string, AutoscaleRule>();
            if (parse.GetValue(json))
            {
                cli.Output.Json(rules);
                return;
            }

            cli.Output.Header($"{app} Autoscale");
            if (rules.Count == 0)
            {
                cli.Output.Line($"No process type of {app} autoscales. Set one with: paas autoscale:set web --min 1 --max 5 --cpu-percent 80");
                return;
            }

            cli.Output.Table(["TYPE", "MIN", "MAX", "CPU %"], rules.OrderBy(r => r.Key, StringComparer.Ordinal)
                .Select(r => (IReadOnlyList<string>)[r.Key, Text(r.Value.Min), Text(r.Value.Max), Text(r.Value.CpuPercent)]));
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var type = new Argument<string>("TYPE") { Description = "The process type, e.g. web" };
        var min = Count("--min", "Fewest processes to run");
        var max = Count("--max", "Most processes to run");
        var cpu = Count("--cpu-percent", "CPU use to aim at, as a percentage of each process's CPU limit");
        var appOption = CommonOptions.App();
        var command = new Command("autoscale:set",
            "Scale a process type between --min and --max processes, aiming at --cpu-percent of its CPU limit (Kubernetes only; no release)")
        {
            type, min, max, cpu, appOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var processType = parse.GetValue(type)!;
            var rule = new { min = parse.GetValue(min), max = parse.GetValue(max), cpu_percent = parse.GetValue(cpu) };
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Autoscaling {processType} of {app} between {rule.min} and {rule.max} at {rule.cpu_percent}% CPU",
                () => client.ChangeSettingsAsync(app, new { autoscale = new Dictionary<string, object> { [processType] = rule } }, ct));
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var type = new Argument<string>("TYPE") { Description = "The process type, e.g. web" };
        var appOption = CommonOptions.App();
        var command = new Command("autoscale:unset", "Stop autoscaling a process type: it runs as many processes as ps:scale says") { type, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var processType = parse.GetValue(type)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Removing autoscaling of {processType} from {app}",
                () => client.ChangeSettingsAsync(app, new { autoscale = new Dictionary<string, object?> { [processType] = null } }, ct));
        });
        return command;
    }

    private static Option<int> Count(string name, string description)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", Required = true };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be 1 or more");
            }
        });
        return option;
    }

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
