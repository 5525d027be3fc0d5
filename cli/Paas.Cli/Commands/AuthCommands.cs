using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>auth:register</c>, <c>auth:login</c>, <c>auth:whoami</c>, <c>auth:logout</c>, <c>auth:passwd</c>,
/// <c>auth:regenerate</c>, <c>auth:cancel</c>.
/// </summary>
internal static class AuthCommands
{
    public static IEnumerable<Command> Create(CliContext cli) =>
        [Register(cli), Login(cli), WhoAmI(cli), Logout(cli), Passwd(cli), Regenerate(cli), Cancel(cli)];

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
            using var client = cli.Connect(controller, current?.Controller == controller ? current.Token : null);
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

            using var client = cli.Connect(controller, token: null);
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

    private static Command Passwd(CliContext cli)
    {
        var username = new Option<string?>("--username")
        {
            Description = "Whose password to set (administrators only; default: yours)",
            HelpName = "NAME",
        };
        var password = new Option<string?>("--password")
        {
            Description = "Your current password (asked for without echo when missing and there is a terminal)",
            HelpName = "PASSWORD",
        };
        var newPassword = new Option<string?>("--new-password")
        {
            Description = "The new password (asked for twice without echo when missing and there is a terminal)",
            HelpName = "PASSWORD",
        };
        var command = new Command("auth:passwd", "Change your password (or, as an administrator, another user's)")
        {
            username, password, newPassword,
        }.WithAliases("passwd");

        command.SetAction(async (parse, ct) =>
        {
            var profile = cli.RequireProfile();
            var other = parse.GetValue(username) is { Length: > 0 } name && name != profile.Username ? name : null;
            // An administrator setting someone else's password does not know theirs.
            var current = other is null
                ? cli.RequireValue(parse.GetValue(password), "--password", "Current password:", secret: true)
                : NullIfEmpty(parse.GetValue(password));
            var next = parse.GetValue(newPassword);
            if (string.IsNullOrEmpty(next))
            {
                next = cli.RequireValue(null, "--new-password", "New password:", secret: true);
                if (cli.Output.Ask("New password (again):", secret: true) != next)
                {
                    throw new CliException("The two new passwords differ; nothing changed");
                }
            }

            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                other is null ? "Changing your password" : $"Changing the password of {other}",
                () => client.ChangePasswordAsync(new PasswordChange { Username = other, Password = current, NewPassword = next }, ct));
        });
        return command;
    }

    private static Command Regenerate(CliContext cli)
    {
        var username = new Option<string?>("--username", "-u")
        {
            Description = "Whose token to replace (administrators only; default: yours)",
            HelpName = "NAME",
        };
        var all = new Option<bool>("--all") { Description = "Replace every user's token (administrators only)" };
        var command = new Command("auth:regenerate", "Replace a token: every earlier token of that user stops working") { username, all };

        command.SetAction(async (parse, ct) =>
        {
            var profile = cli.RequireProfile();
            var user = NullIfEmpty(parse.GetValue(username));
            var everyone = parse.GetValue(all);
            if (user is not null && everyone)
            {
                throw new CliException("Give either --username or --all, not both");
            }

            using var client = cli.ConnectAsUser();
            var token = await client.RegenerateTokenAsync(user == profile.Username ? null : user, everyone, ct);
            // Our own token stopped working; the answer is the new one (with --all: the caller's).
            if ((user is null || user == profile.Username) && token is not null)
            {
                cli.Profiles.Save(profile with { Token = token });
            }
            else if (user is null)
            {
                cli.Output.Warning($"the controller replaced your token but sent no new one: log in again (paas auth:login {profile.Controller})");
            }

            cli.Output.Line("Token regenerated");
        });
        return command;
    }

    private static Command Cancel(CliContext cli)
    {
        var username = new Option<string?>("--username")
        {
            Description = "Whose account to remove (administrators only; default: yours)",
            HelpName = "NAME",
        };
        var yes = new Option<bool>("--yes") { Description = "Do not ask for confirmation (required without a terminal)" };
        var command = new Command("auth:cancel", "Remove a user account for good (its apps must be deleted or transferred first)")
        {
            username, yes,
        };

        command.SetAction(async (parse, ct) =>
        {
            var profile = cli.RequireProfile();
            var other = parse.GetValue(username) is { Length: > 0 } name && name != profile.Username ? name : null;
            var who = other ?? profile.Username;
            if (!parse.GetValue(yes))
            {
                if (!cli.Environment.IsInputTerminal)
                {
                    throw new CliException($"--yes is required to cancel the account {who} (there is no terminal to ask on)");
                }

                if (!cli.Output.Confirm($"Remove the account {who} at {profile.Controller}? This cannot be undone."))
                {
                    throw new CliException($"Not cancelling the account {who}");
                }
            }

            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Cancelling the account {who}", () => client.CancelAccountAsync(other, ct));
            if (other is null)
            {
                cli.Profiles.Delete();
                cli.Output.Line("Logged out");
            }
        });
        return command;
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;

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
