using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>tags:list</c>, <c>tags:set</c>, <c>tags:unset</c>: where an app's processes may run (node labels).</summary>
internal static class TagsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("tags:list", "Show an app's tags (the node labels its processes must run on)") { appOption, json }
            .WithAliases("tags");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var config = await client.GetConfigAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(config.Tags ?? []);
                return;
            }

            PrintTags(cli, app, config);
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var tags = new Argument<string[]>("KEY=VALUE") { Description = "Tags to set", Arity = ArgumentArity.OneOrMore };
        var appOption = CommonOptions.App();
        var command = new Command("tags:set", "Set tags: the app's processes then run only on nodes with these labels; makes a release")
        {
            tags, appOption,
        };

        command.SetAction(async (parse, ct) =>
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in Assignments.Parse(parse.GetValue(tags)!, "KEY=VALUE", "tags:set environ=prod"))
            {
                values[key] = value;
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, values, "Applying tags", ct);
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var keys = new Argument<string[]>("KEY") { Description = "Tags to remove", Arity = ArgumentArity.OneOrMore };
        var appOption = CommonOptions.App();
        var command = new Command("tags:unset", "Remove tags; makes a release") { keys, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var values = parse.GetValue(keys)!.Distinct(StringComparer.Ordinal).ToDictionary(key => key, string? (_) => null, StringComparer.Ordinal);
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, values, "Removing tags", ct);
        });
        return command;
    }

    private static async Task ChangeAsync(CliContext cli, string app, Dictionary<string, string?> values, string what, CancellationToken ct)
    {
        using var client = cli.ConnectAsUser();
        var config = await cli.Output.StepAsync(
            $"{what} and restarting {app}",
            () => client.ChangeConfigAsync(app, new ConfigChange { Tags = values }, ct),
            changed => ReleaseVersion.Done(changed.Release));
        cli.Output.Line();
        PrintTags(cli, app, config);
    }

    private static void PrintTags(CliContext cli, string app, AppConfig config)
    {
        cli.Output.Header($"{app} Tags");
        var tags = (config.Tags ?? []).OrderBy(tag => tag.Key, StringComparer.Ordinal).ToList();
        if (tags.Count == 0)
        {
            cli.Output.Line("No tags");
            return;
        }

        cli.Output.Pairs(tags.Select(tag => (tag.Key, tag.Value)));
    }
}
