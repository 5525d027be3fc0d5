using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>users:list</c> (administrators only).</summary>
internal static class UsersCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli)];

    private static Command List(CliContext cli)
    {
        var json = CommonOptions.Json();
        var command = new Command("users:list", "List the platform's users; * marks administrators (administrators only)") { json }
            .WithAliases("users");

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var users = await client.ListUsersAsync(ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(users);
                return;
            }

            cli.Output.Header("Users (* = administrator)");
            foreach (var user in users)
            {
                cli.Output.Line($"{(user.IsSuperuser ? "*" : " ")} {user.Username}");
            }
        });
        return command;
    }
}
