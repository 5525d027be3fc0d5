using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>limits:list</c>, <c>limits:set</c>, <c>limits:unset</c>: memory and CPU per process type.</summary>
internal static class LimitsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("limits:list", "Show the memory and CPU limits of an app's process types") { appOption, json }
            .WithAliases("limits");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var config = await client.GetConfigAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(new { memory = config.Memory ?? [], cpu = config.Cpu ?? [] });
                return;
            }

            PrintLimits(cli, app, config);
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var limits = new Argument<string[]>("TYPE=VALUE")
        {
            Description = "Limits per process type: memory like 256M or 1G, CPU like 500m (half a core) or 2",
            Arity = ArgumentArity.OneOrMore,
        };
        var (memory, cpu) = KindOptions();
        var appOption = CommonOptions.App();
        var command = new Command("limits:set", "Limit the memory (default) or CPU of process types; makes a release")
        {
            limits, memory, cpu, appOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var isCpu = IsCpu(parse, memory, cpu);
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (type, value) in Assignments.Parse(parse.GetValue(limits)!, "TYPE=VALUE", isCpu ? "limits:set --cpu web=500m" : "limits:set web=256M"))
            {
                values[type] = value.Length > 0 ? value : throw new CliException($"\"{type}=\" has no limit; to remove one: paas limits:unset {type}");
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, isCpu, values, "Applying limits", ct);
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var types = new Argument<string[]>("TYPE") { Description = "Process types to run without a limit", Arity = ArgumentArity.OneOrMore };
        var (memory, cpu) = KindOptions();
        var appOption = CommonOptions.App();
        var command = new Command("limits:unset", "Remove the memory (default) or CPU limit of process types; makes a release")
        {
            types, memory, cpu, appOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var isCpu = IsCpu(parse, memory, cpu);
            var values = parse.GetValue(types)!.Distinct(StringComparer.Ordinal).ToDictionary(type => type, string? (_) => null, StringComparer.Ordinal);
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, isCpu, values, "Removing limits", ct);
        });
        return command;
    }

    private static async Task ChangeAsync(
        CliContext cli, string app, bool isCpu, Dictionary<string, string?> values, string what, CancellationToken ct)
    {
        using var client = cli.ConnectAsUser();
        var change = isCpu ? new ConfigChange { Cpu = values } : new ConfigChange { Memory = values };
        var config = await cli.Output.StepAsync(
            $"{what} and restarting {app}", () => client.ChangeConfigAsync(app, change, ct), changed => ReleaseVersion.Done(changed.Release));
        cli.Output.Line();
        PrintLimits(cli, app, config);
    }

    private static (Option<bool> Memory, Option<bool> Cpu) KindOptions() =>
        (new Option<bool>("--memory", "-m") { Description = "Memory limits (the default)" },
         new Option<bool>("--cpu", "-c") { Description = "CPU limits" });

    private static bool IsCpu(ParseResult parse, Option<bool> memory, Option<bool> cpu) =>
        parse.GetValue(memory) && parse.GetValue(cpu)
            ? throw new CliException("--memory and --cpu cannot be used together: set one kind of limit at a time")
            : parse.GetValue(cpu);

    private static void PrintLimits(CliContext cli, string app, AppConfig config)
    {
        cli.Output.Header($"{app} Limits");
        Section("Memory", config.Memory);
        cli.Output.Line();
        Section("CPU", config.Cpu);

        void Section(string title, Dictionary<string, string?>? limits)
        {
            cli.Output.Line($"--- {title}");
            var set = (limits ?? []).Where(limit => !string.IsNullOrEmpty(limit.Value)).OrderBy(limit => limit.Key, StringComparer.Ordinal).ToList();
            if (set.Count == 0)
            {
                cli.Output.Line("Unlimited");
                return;
            }

            cli.Output.Pairs(set.Select(limit => (limit.Key, limit.Value)));
        }
    }
}
