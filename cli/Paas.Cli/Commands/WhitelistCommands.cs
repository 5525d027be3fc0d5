using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>whitelist:list</c>, <c>whitelist:add</c>, <c>whitelist:remove</c>: the addresses the router lets through (all when empty).</summary>
internal static class WhitelistCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Change(cli, add: true), Change(cli, add: false)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("whitelist:list", "List the addresses allowed to reach an app (everyone when none)") { appOption, json }
            .WithAliases("whitelist");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var addresses = await client.GetWhitelistAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(addresses);
                return;
            }

            cli.Output.Header($"{app} Whitelisted Addresses");
            if (addresses.Count == 0)
            {
                cli.Output.Line("None: every address may reach the app");
            }

            foreach (var address in addresses)
            {
                cli.Output.Line(address);
            }
        });
        return command;
    }

    private static Command Change(CliContext cli, bool add)
    {
        var addresses = new Argument<string[]>("CIDR")
        {
            Description = "Addresses or networks, e.g. 10.0.0.0/8,192.168.1.7 (commas or spaces between them)",
            Arity = ArgumentArity.OneOrMore,
        };
        var appOption = CommonOptions.App();
        var command = add
            ? new Command("whitelist:add", "Allow addresses to reach an app (once there is one, only those may)") { addresses, appOption }
            : new Command("whitelist:remove", "Remove addresses from an app's whitelist") { addresses, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var list = parse.GetValue(addresses)!
                .SelectMany(text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (list.Count == 0)
            {
                throw new CliException("Give at least one address, e.g. 10.0.0.0/8");
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                add ? $"Adding {string.Join(", ", list)} to {app}'s whitelist" : $"Removing {string.Join(", ", list)} from {app}'s whitelist",
                () => add ? client.AddToWhitelistAsync(app, list, ct) : client.RemoveFromWhitelistAsync(app, list, ct));
        });
        return command;
    }
}
