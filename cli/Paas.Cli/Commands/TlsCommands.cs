using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>tls:info</c>, <c>tls:enable</c>, <c>tls:disable</c>: whether plain HTTP requests are redirected to HTTPS.</summary>
internal static class TlsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [Info(cli), Switch(cli, enable: true), Switch(cli, enable: false)];

    private static Command Info(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("tls:info", "Show whether an app's HTTP requests are redirected to HTTPS") { appOption, json }
            .WithAliases("tls");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var tls = await client.GetTlsAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(tls);
                return;
            }

            cli.Output.Header($"{app} TLS");
            cli.Output.Fields([("HTTPS enforced", tls.HttpsEnforced == true ? "yes" : "no")]);
        });
        return command;
    }

    private static Command Switch(CliContext cli, bool enable)
    {
        var appOption = CommonOptions.App();
        var command = enable
            ? new Command("tls:enable", "Redirect an app's plain HTTP requests to HTTPS") { appOption }
            : new Command("tls:disable", "Serve an app over plain HTTP too") { appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                $"{(enable ? "Enabling" : "Disabling")} HTTPS-only requests for {app}", () => client.SetHttpsEnforcedAsync(app, enable, ct));
        });
        return command;
    }
}
