using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>routing:info</c>, <c>routing:enable</c>, <c>routing:disable</c>: whether the router sends requests to the app at all.</summary>
internal static class RoutingCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [Info(cli), Switch(cli, enable: true), Switch(cli, enable: false)];

    private static Command Info(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("routing:info", "Show whether the router sends requests to an app") { appOption, json }
            .WithAliases("routing");

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

            // Deis: no value means routable.
            cli.Output.Line($"Routing is {(settings.Routable == false ? "disabled" : "enabled")}.");
        });
        return command;
    }

    private static Command Switch(CliContext cli, bool enable)
    {
        var appOption = CommonOptions.App();
        var command = enable
            ? new Command("routing:enable", "Let the router send requests to an app") { appOption }
            : new Command("routing:disable", "Stop the router from sending requests to an app (e.g. a worker-only app)") { appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                $"{(enable ? "Enabling" : "Disabling")} routing for {app}", () => client.ChangeSettingsAsync(app, new { routable = enable }, ct));
        });
        return command;
    }
}
