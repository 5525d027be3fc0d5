using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>services:list</c>, <c>services:add</c>, <c>services:remove</c>: paths of an app's domains served by another
/// process type than web (Deis's services), e.g. webhooks on their own processes.
/// </summary>
internal static class ServicesCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Add(cli), Remove(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("services:list", "List the paths an app sends to process types other than web") { appOption, json }
            .WithAliases("services");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var services = await client.GetServicesAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(services);
                return;
            }

            cli.Output.Header($"{app} Services");
            if (services.Count == 0)
            {
                cli.Output.Line("None: web serves every path");
                return;
            }
            cli.Output.Table(["type", "paths"], services.Select(s => (IReadOnlyList<string>)[s.ProcfileType, s.PathPattern]));
        });
        return command;
    }

    private static Command Add(CliContext cli)
    {
        var type = new Option<string>("--type", "-t")
        {
            Description = "The Procfile process type that serves the paths, e.g. webhooks (it listens on $PORT)",
            Required = true,
        };
        var route = new Option<string>("--route", "-r")
        {
            Description = "Paths as nginx locations, comma-separated: /webhooks (prefix), \"= /hook\" (exact), \"~ ^/users/[0-9]+/hook\" (regex)",
            Required = true,
        };
        var appOption = CommonOptions.App();
        var command = new Command("services:add", "Send some paths of an app to another process type than web") { type, route, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var processType = parse.GetValue(type)!;
            var paths = parse.GetValue(route)!;
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Sending {paths} of {app} to {processType}", () => client.AddServiceAsync(app, processType, paths, ct));
        });
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var type = new Argument<string>("TYPE") { Description = "The process type whose service to remove; web serves its paths again" };
        var appOption = CommonOptions.App();
        var command = new Command("services:remove", "Stop sending paths to a process type; web serves them again") { type, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var processType = parse.GetValue(type)!;
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Removing the {processType} service of {app}", () => client.RemoveServiceAsync(app, processType, ct));
        });
        return command;
    }
}
