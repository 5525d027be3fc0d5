using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>perms:list</c>, <c>perms:create</c>, <c>perms:delete</c>: an app's collaborators, or with
/// <c>--admin</c> the platform's administrators.
/// </summary>
internal static class PermsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Add(cli), Remove(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var admin = AdminOption("List the administrators instead of an app's collaborators");
        var json = CommonOptions.Json();
        var command = new Command("perms:list", "List who may change an app besides its owner (or, with --admin, the administrators)")
        {
            appOption, admin, json,
        }.WithAliases("perms", "sharing");

        command.SetAction(async (parse, ct) =>
        {
            var isAdmin = parse.GetValue(admin);
            var app = isAdmin ? null : await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var users = app is null ? await client.ListAdministratorsAsync(ct) : await client.ListCollaboratorsAsync(app, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(users);
                return;
            }

            cli.Output.Header(app is null ? "Administrators" : $"{app}'s Users");
            if (users.Count == 0)
            {
                cli.Output.Line(app is null ? "No administrators" : $"No collaborators (add one with: paas perms:create USER -a {app})");
            }

            foreach (var user in users)
            {
                cli.Output.Line(user);
            }
        });
        return command;
    }

    private static Command Add(CliContext cli)
    {
        var user = new Argument<string>("USER") { Description = "The user to add" };
        var appOption = CommonOptions.App();
        var admin = AdminOption("Make the user an administrator of the platform instead");
        var command = new Command("perms:create", "Let a user change an app (or, with --admin, everything)") { user, appOption, admin }
            .WithAliases("sharing:add");

        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(user)!;
            using var client = cli.ConnectAsUser();
            if (parse.GetValue(admin))
            {
                await cli.Output.StepAsync($"Adding {name} to the administrators", () => client.AddAdministratorAsync(name, ct));
                return;
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await cli.Output.StepAsync($"Adding {name} to {app} collaborators", () => client.AddCollaboratorAsync(app, name, ct));
        });
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var user = new Argument<string>("USER") { Description = "The user to remove" };
        var appOption = CommonOptions.App();
        var admin = AdminOption("Remove the user from the administrators instead");
        var command = new Command("perms:delete", "Stop letting a user change an app (or, with --admin, everything)") { user, appOption, admin }
            .WithAliases("sharing:remove");

        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(user)!;
            using var client = cli.ConnectAsUser();
            if (parse.GetValue(admin))
            {
                await cli.Output.StepAsync($"Removing {name} from the administrators", () => client.RemoveAdministratorAsync(name, ct));
                return;
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await cli.Output.StepAsync($"Removing {name} from {app} collaborators", () => client.RemoveCollaboratorAsync(app, name, ct));
        });
        return command;
    }

    private static Option<bool> AdminOption(string description) => new("--admin") { Description = description };
}
