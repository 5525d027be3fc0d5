using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>registry:list</c>, <c>registry:set</c>, <c>registry:unset</c>: the login the platform uses to pull the
/// app's image from a private registry (<c>builds:create</c>), kept in the app's config as Deis does.
/// </summary>
internal static class RegistryCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("registry:list", "Show an app's private registry settings (the password is masked)") { appOption, json }
            .WithAliases("registry");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var config = await client.GetConfigAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(config.Registry ?? []);
                return;
            }

            Print(cli, app, config);
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var settings = new Argument<string[]>("KEY=VALUE") { Description = "username=... and password=... for the image's registry", Arity = ArgumentArity.OneOrMore };
        var appOption = CommonOptions.App();
        var command = new Command("registry:set", "Set the login for pulling the app's image from a private registry; makes a release") { settings, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in Assignments.Parse(parse.GetValue(settings)!, "KEY=VALUE", "registry:set username=bot password=s3cret"))
            {
                values[key] = value;
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, values, "Applying registry settings", ct);
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var keys = new Argument<string[]>("KEY") { Description = "Settings to remove (username, password)", Arity = ArgumentArity.OneOrMore };
        var appOption = CommonOptions.App();
        var command = new Command("registry:unset", "Remove private registry settings; makes a release") { keys, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var values = parse.GetValue(keys)!.Distinct(StringComparer.Ordinal).ToDictionary(key => key, string? (_) => null, StringComparer.Ordinal);
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await ChangeAsync(cli, app, values, "Removing registry settings", ct);
        });
        return command;
    }

    private static async Task ChangeAsync(CliContext cli, string app, Dictionary<string, string?> values, string what, CancellationToken ct)
    {
        using var client = cli.ConnectAsUser();
        var config = await cli.Output.StepAsync(
            $"{what} and restarting {app}",
            () => client.ChangeConfigAsync(app, new ConfigChange { Registry = values }, ct),
            changed => ReleaseVersion.Done(changed.Release));
        cli.Output.Line();
        Print(cli, app, config);
    }

    private static void Print(CliContext cli, string app, AppConfig config)
    {
        cli.Output.Header($"{app} Registry");
        var settings = (config.Registry ?? []).OrderBy(s => s.Key, StringComparer.Ordinal).ToList();
        if (settings.Count == 0)
        {
            cli.Output.Line("No registry information set");
            return;
        }

        cli.Output.Pairs(settings.Select(s => (s.Key, s.Value)));
    }
}
