using System.CommandLine;
using Paas.Cli.Api;
using Paas.Cli.Git;

namespace Paas.Cli.Commands;

/// <summary>
/// <c>apps:create</c>, <c>apps:list</c>, <c>apps:info</c>, <c>apps:destroy</c>, <c>apps:transfer</c>,
/// <c>apps:events</c>, and the streaming ones, <c>apps:run</c> and <c>apps:logs</c>.
/// </summary>
internal static class AppsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) =>
        [CreateApp(cli), List(cli), Info(cli), Destroy(cli), Transfer(cli), Events(cli), Run(cli), Logs(cli)];

    private static Command CreateApp(CliContext cli)
    {
        var name = new Argument<string?>("NAME")
        {
            Description = "The app's name (lowercase letters, digits and hyphens); made up when missing",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var noRemote = new Option<bool>("--no-remote") { Description = "Do not add a git remote" };
        var remote = CommonOptions.Remote();
        var command = new Command("apps:create", "Create an app, and a git remote to push it to")
        {
            name, noRemote, remote,
        }.WithAliases("create");

        command.SetAction(async (parse, ct) =>
        {
            var remoteName = parse.GetValue(remote)!;
            using var client = cli.ConnectAsUser();

            // Checked before creating the app, so that a clash does not leave an app behind.
            var addRemote = !parse.GetValue(noRemote) && await cli.Git.IsInsideWorkTreeAsync(ct);
            if (addRemote && await cli.Git.GetRemoteUrlAsync(remoteName, ct) is { } existing)
            {
                throw new CliException(
                    $"This repository already has a git remote \"{remoteName}\" ({existing}). "
                    + $"Point it at an existing app with: paas git:remote -a NAME, or create this app with --remote OTHER (or --no-remote).");
            }

            var app = await cli.Output.StepAsync(
                "Creating app",
                () => client.CreateAppAsync(parse.GetValue(name), ct),
                created => $"done, created {created.Id}");

            if (app.GitUrl is null)
            {
                cli.Output.Warning("the controller did not say where to push (no git_url in its answer); no git remote added");
                return;
            }

            if (addRemote)
            {
                await cli.Git.AddRemoteAsync(remoteName, app.GitUrl, ct);
                cli.Output.Line($"Git remote {remoteName} added");
            }

            await CredentialHelper.InstallAsync(cli, app.GitUrl, ct);
        });
        return command;
    }

    private static Command List(CliContext cli)
    {
        var json = CommonOptions.Json();
        var command = new Command("apps:list", "List the apps you can see") { json }.WithAliases("apps");

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var apps = await client.ListAppsAsync(ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(apps);
                return;
            }

            cli.Output.Header("Apps");
            foreach (var app in apps)
            {
                cli.Output.Line(app.Id);
            }
        });
        return command;
    }

    private static Command Info(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("apps:info", "Show an app: owner, URLs, processes, latest release") { appOption, json }
            .WithAliases("info");

        command.SetAction(async (parse, ct) =>
        {
            var appName = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var app = await client.GetAppAsync(appName, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(app);
                return;
            }

            var releases = (await client.ListReleasesAsync(appName, 1, ct)).Results;
            var latest = releases.Count > 0 ? releases[0] : null;
            cli.Output.Header($"{app.Id} Application");
            cli.Output.Fields(
            [
                ("id", app.Id),
                ("owner", app.Owner),
                ("url", app.Url),
                ("web url", app.WebUrl),
                ("git url", app.GitUrl),
                ("structure", Structure(app.Structure)),
                ("release", latest is null ? "none" : $"v{latest.Version}"),
                ("created", app.Created),
                ("updated", app.Updated),
                ("uuid", app.Uuid),
            ]);
        });
        return command;
    }

    private static Command Destroy(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var confirm = new Option<string?>("--confirm")
        {
            Description = "The app's name again, to destroy it without being asked",
            HelpName = "APP",
        };
        var command = new Command("apps:destroy", "Destroy an app: its processes, releases and routes") { appOption, confirm }
            .WithAliases("destroy");

        command.SetAction(async (parse, ct) =>
        {
            var appName = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var confirmation = parse.GetValue(confirm);
            if (confirmation is null)
            {
                if (!cli.Environment.IsInputTerminal)
                {
                    throw new CliException($"--confirm {appName} is required to destroy {appName} (there is no terminal to ask on)");
                }

                cli.Output.Line($"This destroys {appName}, its releases and its processes, and cannot be undone.");
                confirmation = cli.Output.Ask($"To proceed, type the app's name ({appName}):").Trim();
            }

            if (confirmation != appName)
            {
                throw new CliException($"Not destroying {appName}: the confirmation \"{confirmation}\" does not match the app's name");
            }

            using var client = cli.ConnectAsUser();
            // Learn the push URL first: it says which git remotes to remove afterwards.
            var app = await client.GetAppAsync(appName, ct);
            await cli.Output.StepAsync($"Destroying {appName}", () => client.DestroyAppAsync(appName, ct));

            if (app.GitUrl is not null && await cli.Git.IsInsideWorkTreeAsync(ct))
            {
                foreach (var (remote, url) in await cli.Git.ListRemotesAsync(ct))
                {
                    if (GitRepository.SameUrl(url, app.GitUrl))
                    {
                        await cli.Git.RemoveRemoteAsync(remote, ct);
                        cli.Output.Line($"Git remote {remote} removed");
                    }
                }
            }
        });
        return command;
    }

    private static Command Transfer(CliContext cli)
    {
        var user = new Argument<string>("USER") { Description = "The new owner" };
        var appOption = CommonOptions.App();
        var command = new Command("apps:transfer", "Give an app to another user") { user, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var owner = parse.GetValue(user)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Transferring {app} to {owner}", () => client.TransferAppAsync(app, owner, ct));
        });
        return command;
    }

    private static Command Events(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var limit = CommonOptions.Limit("-n", "How many events to show, newest first", 50);
        var json = CommonOptions.Json();
        var command = new Command("apps:events", "Show who changed what in an app, newest first") { appOption, limit, json }
            .WithAliases("events");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var events = await client.ListEventsAsync(app, parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(events);
                return;
            }

            if (events.Count == 0)
            {
                cli.Output.Line($"No events for {app}");
                return;
            }

            var userWidth = events.Max(e => (e.User ?? "").Length);
            foreach (var e in events)
            {
                cli.Output.Line($"{e.Created}  {(e.User ?? "").PadRight(userWidth)}  {e.Message}".TrimEnd());
            }
        });
        return command;
    }

    private static Command Run(CliContext cli)
    {
        var words = new Argument<string[]>("COMMAND")
        {
            Description = "The command, run by the app's image with its config; words after the command are its own, e.g. paas run -a demo ls -la",
            Arity = ArgumentArity.OneOrMore,
        };
        var appOption = CommonOptions.App();
        var command = new Command("apps:run", "Run a one-off process; its output streams here and its exit code becomes paas's")
        {
            words, appOption,
        }.WithAliases("run");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            // Joined with spaces as the deis CLI does; quote the whole command to keep quotes: paas run 'echo "a  b"'.
            var exitCode = await client.RunAsync(app, string.Join(' ', parse.GetValue(words)!), cli.Output.StreamAsync, ct);
            return exitCode is >= 0 and <= 255 ? exitCode : 255; // a process's exit status is one byte; anything else is a failure
        });
        return command;
    }

    /// <summary>
    /// Makes <c>paas run ls -la</c> mean the command <c>ls -la</c>: everything from the first word that
    /// is not one of run's own options (<c>-a APP</c>, <c>--help</c>) goes after <c>--</c>.
    /// </summary>
    internal static string[] SeparateRunCommand(string[] args)
    {
        if (args.Length < 2 || args[0] is not ("run" or "apps:run"))
        {
            return args;
        }

        var i = 1;
        while (i < args.Length)
        {
            var arg = args[i];
            if (arg == "--")
            {
                return args;
            }

            if (arg is "-a" or "--app")
            {
                i += 2;
            }
            else if (arg is "-h" or "-?" or "--help"
                     || arg.StartsWith("--app=", StringComparison.Ordinal) || arg.StartsWith("--app:", StringComparison.Ordinal)
                     || arg.StartsWith("-a=", StringComparison.Ordinal) || arg.StartsWith("-a:", StringComparison.Ordinal))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        return i >= args.Length ? args : [.. args[..i], "--", .. args[i..]];
    }

    private static Command Logs(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var lines = CommonOptions.Limit("-n", "How many of the newest lines to show", 100);
        lines.Aliases.Add("--lines");
        var follow = new Option<bool>("--tail", "-f", "--follow") { Description = "Keep printing new lines as they come, until Ctrl-C" };
        var command = new Command("apps:logs", "Show an app's log: its processes' output and what the platform did") { appOption, lines, follow }
            .WithAliases("logs");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var following = parse.GetValue(follow);
            using var client = cli.ConnectAsUser();
            try
            {
                await client.StreamLogsAsync(app, parse.GetValue(lines), following, cli.Output.StreamAsync, ct);
            }
            catch (OperationCanceledException) when (following && ct.IsCancellationRequested)
            {
                return ErrorReporter.Success; // Ctrl-C is how one stops following
            }

            if (following)
            {
                cli.Output.Warning("the controller ended the log stream");
            }

            return ErrorReporter.Success;
        });
        return command;
    }

    private static string Structure(Dictionary<string, int>? structure) =>
        structure is null || structure.Count == 0
            ? "none"
            : string.Join(' ', structure.OrderBy(process => process.Key, StringComparer.Ordinal).Select(process => $"{process.Key}={process.Value}"));
}
