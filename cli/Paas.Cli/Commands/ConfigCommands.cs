using System.CommandLine;
using System.Text;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>config:list</c>, <c>config:set</c>, <c>config:unset</c>, <c>config:pull</c>, <c>config:push</c>: the app's environment.</summary>
internal static class ConfigCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Set(cli), Unset(cli), Pull(cli), Push(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var oneline = new Option<bool>("--oneline") { Description = "One line of KEY=value pairs, quoted for a POSIX shell" };
        var json = CommonOptions.Json();
        var command = new Command("config:list", "Show an app's config vars (its environment)") { appOption, oneline, json }
            .WithAliases("config");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var values = Sorted((await client.GetConfigAsync(app, ct)).Values);
            if (parse.GetValue(json))
            {
                cli.Output.Json(values.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal));
            }
            else if (parse.GetValue(oneline))
            {
                cli.Output.Line(string.Join(' ', values.Select(pair => $"{ShellQuote(pair.Key)}={ShellQuote(pair.Value)}")));
            }
            else
            {
                PrintConfig(cli, app, values);
            }
        });
        return command;
    }

    private static Command Set(CliContext cli)
    {
        var pairs = new Argument<string[]>("KEY=VALUE")
        {
            Description = "Variables to set; the value is everything after the first '=' (it may contain '=', line breaks, any text)",
            Arity = ArgumentArity.OneOrMore,
        };
        var appOption = CommonOptions.App();
        var command = new Command("config:set", "Set config vars; makes a release and restarts the app") { pairs, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var (key, value) in Assignments.Parse(parse.GetValue(pairs)!, "KEY=VALUE", "config:set DATABASE_URL=postgres://db/app"))
            {
                values[key] = value;
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            await SetAsync(cli, app, values, "Setting config vars", ct);
        });
        return command;
    }

    private static Command Unset(CliContext cli)
    {
        var keys = new Argument<string[]>("KEY") { Description = "Variables to remove", Arity = ArgumentArity.OneOrMore };
        var appOption = CommonOptions.App();
        var command = new Command("config:unset", "Remove config vars; makes a release and restarts the app") { keys, appOption };

        command.SetAction(async (parse, ct) =>
        {
            var names = parse.GetValue(keys)!;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var values = names.Distinct(StringComparer.Ordinal).ToDictionary(key => key, string? (_) => null, StringComparer.Ordinal);
            await SetAsync(cli, app, values, $"Unsetting {string.Join(", ", values.Keys)}", ct);
        });
        return command;
    }

    private static Command Pull(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var output = new Option<string>("--output", "-o")
        {
            Description = "The file to write",
            HelpName = "PATH",
            DefaultValueFactory = _ => ".env",
        };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Replace the file with exactly the app's config. Without it an existing file is merged: "
                + "the app's vars replace the file's, vars only the file has are kept (its comments are not)",
        };
        var command = new Command("config:pull", "Write the app's config vars to a .env file (KEY=\"value\")") { appOption, output, overwrite };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var name = parse.GetValue(output)!;
            var path = Path.GetFullPath(name, cli.Environment.WorkingDirectory);
            using var client = cli.ConnectAsUser();
            var values = Sorted((await client.GetConfigAsync(app, ct)).Values);

            var kept = new List<string>();
            var merged = values;
            if (!parse.GetValue(overwrite) && ReadIfExists(path, name) is { } existing)
            {
                var local = Dotenv.Parse(existing, name);
                var fromApp = values.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
                // The file's order first (with the app's values), then what only the app has.
                merged = local.Select(pair => fromApp.TryGetValue(pair.Key, out var value) ? KeyValuePair.Create(pair.Key, value) : pair)
                    .Concat(values.Where(pair => !local.Any(l => l.Key == pair.Key)))
                    .ToList();
                kept = local.Where(pair => !fromApp.ContainsKey(pair.Key)).Select(pair => pair.Key).ToList();
            }

            WritePrivateFile(path, name, Dotenv.Format(merged));
            cli.Output.Line($"Wrote {Count(values.Count, "config var")} of {app} to {name}");
            if (kept.Count > 0)
            {
                cli.Output.Line($"Kept {Count(kept.Count, "var")} that {app} does not have: {string.Join(", ", kept)}");
            }
        });
        return command;
    }

    private static Command Push(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var path = new Option<string>("--path", "-p")
        {
            Description = "The file to read",
            HelpName = "PATH",
            DefaultValueFactory = _ => ".env",
        };
        var command = new Command("config:push", "Set every var of a .env file (comments, export, quoted values are understood)")
        {
            appOption, path,
        };

        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(path)!;
            var full = Path.GetFullPath(name, cli.Environment.WorkingDirectory);
            var text = ReadIfExists(full, name) ?? throw new CliException($"There is no {name} to push ({full})");
            var variables = Dotenv.Parse(text, name);
            if (variables.Count == 0)
            {
                throw new CliException($"{name} has no variables to push");
            }

            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            var values = variables.ToDictionary(pair => pair.Key, string? (pair) => pair.Value, StringComparer.Ordinal);
            await SetAsync(cli, app, values, "Setting config vars", ct);
        });
        return command;
    }

    /// <summary>Sends the change, says which release it made, then shows the config as it now is.</summary>
    private static async Task SetAsync(CliContext cli, string app, Dictionary<string, string?> values, string what, CancellationToken ct)
    {
        using var client = cli.ConnectAsUser();
        var config = await cli.Output.StepAsync(
            $"{what} and restarting {app}",
            () => client.ChangeConfigAsync(app, new ConfigChange { Values = values }, ct),
            changed => ReleaseVersion.Done(changed.Release));
        cli.Output.Line();
        PrintConfig(cli, app, Sorted(config.Values));
    }

    private static void PrintConfig(CliContext cli, string app, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        cli.Output.Header($"{app} Config");
        cli.Output.Pairs(values.Select(pair => (pair.Key, (string?)pair.Value)));
    }

    private static List<KeyValuePair<string, string>> Sorted(Dictionary<string, string?>? values) =>
        (values ?? []).OrderBy(pair => pair.Key, StringComparer.Ordinal)
            .Select(pair => KeyValuePair.Create(pair.Key, pair.Value ?? ""))
            .ToList();

    /// <summary>Quoted for a POSIX shell when it needs to be: <c>'it'\''s'</c>.</summary>
    internal static string ShellQuote(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || "_@%+=:,./-".Contains(c))
            ? text
            : "'" + text.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    private static string? ReadIfExists(string path, string name)
    {
        try
        {
            return File.ReadAllText(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {name}: {e.Message}", e);
        }
    }

    /// <summary>Config vars are secrets: a new file is readable by the user only (an existing one keeps its mode).</summary>
    private static void WritePrivateFile(string path, string name, string text)
    {
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write {name}: {e.Message}", e);
        }
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
