using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>auth:register</c>, <c>auth:login</c>, <c>auth:whoami</c>, <c>auth:logout</c>.</summary>
internal static class AuthCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [Register(cli), Login(cli), WhoAmI(cli), Logout(cli)];

    private static Command Register(CliContext cli)
    {
        var url = ControllerUrlArgument();
        var username = UsernameOption();
        var password = PasswordOption();
        var email = new Option<string?>("--email") { Description = "Your email address", HelpName = "EMAIL" };
        var login = new Option<bool>("--login")
        {
            Description = "Log in as the new user afterwards (--login=false to stay as you are)",
            DefaultValueFactory = _ => true,
        };
        var command = new Command("auth:register", "Register a new user with a controller (the first user becomes the admin)")
        {
            url, username, password, email, login,
        }.WithAliases("register");

        command.SetAction(async (parse, ct) =>
        {
            var controller = ControllerClient.NormalizeUrl(parse.GetValue(url)!);
            var user = cli.RequireValue(parse.GetValue(username), "--username", "Username:");
            var secret = cli.RequireValue(parse.GetValue(password), "--password", "Password:", secret: true);
            var address = cli.RequireValue(parse.GetValue(email), "--email", "Email:");

            // An admin logged in to this controller registers others with their own token (as deis does).
            var current = cli.Profiles.Load();
            using var client = new ControllerClient(controller, current?.Controller == controller ? current.Token : null);
            await client.EnsureIsControllerAsync(ct);
            var registered = await client.RegisterAsync(new RegisterRequest(user, secret, address), ct);
            cli.Output.Line($"Registered {(registered.Username.Length > 0 ? registered.Username : user)}");
            if (parse.GetValue(login))
            {
                await LogInAsync(cli, client, user, secret, ct);
            }
        });
        return command;
    }

    private static Command Login(CliContext cli)
    {
        var url = ControllerUrlArgument();
        var username = UsernameOption();
        var password = PasswordOption();
        var command = new Command("auth:login", "Log in to a controller") { url, username, password }.WithAliases("login");

        command.SetAction(async (parse, ct) =>
        {
            var controller = ControllerClient.NormalizeUrl(parse.GetValue(url)!);
            var user = cli.RequireValue(parse.GetValue(username), "--username", "Username:");
            var secret = cli.RequireValue(parse.GetValue(password), "--password", "Password:", secret: true);

            using var client = new ControllerClient(controller, token: null);
            await client.EnsureIsControllerAsync(ct);
            await LogInAsync(cli, client, user, secret, ct);
        });
        return command;
    }

    private static async Task LogInAsync(CliContext cli, ControllerClient client, string username, string password, CancellationToken ct)
    {
        var token = await client.LoginAsync(username, password, ct);
        cli.Profiles.Save(new Profile(client.Controller, username, token));
        cli.Output.Line($"Logged in as {username}");
    }

    private static Command WhoAmI(CliContext cli)
    {
        var json = CommonOptions.Json();
        var command = new Command("auth:whoami", "Show who you are logged in as, and where") { json }.WithAliases("whoami");

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var user = await client.WhoAmIAsync(ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(user);
                return;
            }

            cli.Output.Line($"You are {user.Username} at {client.Controller}");
        });
        return command;
    }

    private static Command Logout(CliContext cli)
    {
        var command = new Command("auth:logout", "Log out (forget the token on this machine)").WithAliases("logout");
        command.SetAction(_ =>
        {
            cli.Profiles.Delete();
            cli.Output.Line("Logged out");
        });
        return command;
    }

    private static Argument<string> ControllerUrlArgument() => new("URL")
    {
        Description = "The controller, e.g. http://127.0.0.1:8000 (http:// is assumed when missing)",
    };

    private static Option<string?> UsernameOption() => new("--username")
    {
        Description = "Your username (asked for when missing and there is a terminal)",
        HelpName = "NAME",
    };

    private static Option<string?> PasswordOption() => new("--password")
    {
        Description = "Your password (asked for without echo when missing and there is a terminal)",
        HelpName = "PASSWORD",
    };
}
