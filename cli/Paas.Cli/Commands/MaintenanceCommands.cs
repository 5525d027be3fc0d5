using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>maintenance:info</c>, <c>maintenance:on</c>, <c>maintenance:off</c>: the router answers 503 for the app meanwhile.</summary>
internal static class MaintenanceCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [Info(cli), Switch(cli, on: true), Switch(cli, on: false)];

    private static Command Info(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("maintenance:info", "Show whether an app is in maintenance mode") { appOption, json }
            .WithAliases("maintenance");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var settings = await client.GetSettingsAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(settings);
                return;
            }

            cli.Output.Line($"Maintenance mode is {(settings.Maintenance == true ? "on" : "off")}.");
        });
        return command;
    }

    private static Command Switch(CliContext cli, bool on)
    {
        var appOption = CommonOptions.App();
        var command = on
            ? new Command("maintenance:on", "Put an app in maintenance mode: the router answers 503 instead of passing requests on") { appOption }
            : new Command("maintenance:off", "Take an app out of maintenance mode") { appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                $"{(on ? "Enabling" : "Disabling")} maintenance mode for {app}", () => client.ChangeSettingsAsync(app, new { maintenance = on }, ct));
        });
        return command;
    }
}
