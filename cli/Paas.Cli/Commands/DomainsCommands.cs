using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>domains:list</c>, <c>domains:add</c>, <c>domains:remove</c>: the host names an app answers to.</summary>
internal static class DomainsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Add(cli), Remove(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("domains:list", "List the domains an app answers to") { appOption, json }.WithAliases("domains");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var domains = await client.ListDomainsAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(domains);
                return;
            }

            cli.Output.Header($"{app} Domains");
            foreach (var domain in domains)
            {
                cli.Output.Line(domain.Name);
            }
        });
        return command;
    }

    private static Command Add(CliContext cli)
    {
        var domain = DomainArgument("The domain, e.g. www.example.com (a name without a dot is under the platform's domain)");
        var appOption = CommonOptions.App();
        var command = new Command("domains:add", "Route a domain to an app (point its DNS at the router)") { domain, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(domain)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Adding {name} to {app}", () => client.AddDomainAsync(app, name, ct));
        });
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var domain = DomainArgument("The domain to remove");
        var appOption = CommonOptions.App();
        var command = new Command("domains:remove", "Stop routing a domain to an app") { domain, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(domain)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Removing {name} from {app}", () => client.RemoveDomainAsync(app, name, ct));
        });
        return command;
    }

    private static Argument<string> DomainArgument(string description) => new("DOMAIN") { Description = description };
}
