using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>builds:list</c>, <c>builds:info</c>, <c>builds:create</c>: an app's images, from git pushes or given.</summary>
internal static class BuildsCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Info(cli), CreateBuild(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var limit = CommonOptions.Limit("--limit", "How many builds to show, newest first", 100);
        limit.Aliases.Add("-l");
        var json = CommonOptions.Json();
        var command = new Command("builds:list", "List an app's builds, newest first") { appOption, limit, json }.WithAliases("builds");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var page = await client.ListBuildsAsync(app, parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(page.Results);
                return;
            }

            cli.Output.Header(page.Results.Count == page.Count ? $"{app} Builds" : $"{app} Builds ({page.Results.Count} of {page.Count})");
            if (page.Results.Count == 0)
            {
                cli.Output.Line("No builds");
                return;
            }

            cli.Output.Table(
                ["uuid", "created", "kind", "status", "sha/image"],
                page.Results.Select(build => (IReadOnlyList<string>)[build.Uuid ?? "", build.Created ?? "", build.Kind ?? "", build.Status ?? "", Source(build)]));
        });
        return command;
    }

    private static Command Info(CliContext cli)
    {
        var uuid = new Argument<string>("UUID") { Description = "The build, as builds:list shows it" };
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("builds:info", "Show one build: its image, commit and process types") { uuid, appOption, json };

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var build = await client.GetBuildAsync(app, parse.GetValue(uuid)!, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(build);
                return;
            }

            cli.Output.Header($"{app} Build {build.Uuid}");
            (string, string?)[] record =
            [
                ("status", build.Status),
                ("failure", build.Failure),
                ("release", build.Release is { ValueKind: System.Text.Json.JsonValueKind.Number } release ? $"v{release}" : null),
                ("phases", build.Phases is { Count: > 0 } phases ? Phases(phases) : null),
            ];
            cli.Output.Fields(
            [
                ("kind", build.Kind),
                ("image", build.Image),
                ("sha", build.Sha),
                ("owner", build.Owner),
                .. record.Where(field => field.Item2 is not null),
                ("created", build.Created),
                ("updated", build.Updated),
            ]);
            if (build.Procfile is { Count: > 0 } procfile)
            {
                cli.Output.Line();
                cli.Output.Line("--- Procfile");
                foreach (var (type, commandLine) in procfile.OrderBy(entry => entry.Key, StringComparer.Ordinal))
                {
                    cli.Output.Line($"{type}: {commandLine}");
                }
            }

            if (!string.IsNullOrEmpty(build.Log))
            {
                cli.Output.Line();
                cli.Output.Line("--- Build log");
                foreach (var line in build.Log.TrimEnd('\n').Split('\n'))
                {
                    cli.Output.Line(line);
                }
            }
        });
        return command;
    }

    private static Command CreateBuild(CliContext cli)
    {
        var image = new Argument<string>("IMAGE") { Description = "A Docker image the platform can pull, e.g. registry.example.com/shop:1.4" };
        var procfile = new Option<string?>("--procfile")
        {
            Description = "Process types as in a Procfile, e.g. 'web: ./server' (lines separated by newlines)",
            HelpName = "TEXT",
        };
        var procfileFile = new Option<string?>("--procfile-file") { Description = "A Procfile to read the process types from", HelpName = "PATH" };
        var appOption = CommonOptions.App();
        var command = new Command("builds:create", "Deploy an existing image: makes a build and a release") { image, procfile, procfileFile, appOption }
            .WithAliases("pull");

        command.SetAction(async (parse, ct) =>
        {
            var text = parse.GetValue(procfile);
            var file = parse.GetValue(procfileFile);
            if (text is not null && file is not null)
            {
                throw new CliException("Give either --procfile or --procfile-file, not both");
            }

            var types = file is not null ? ParseProcfile(ReadProcfile(cli, file), file)
                : text is not null ? ParseProcfile(text, "--procfile")
                : null;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                "Creating build", () => client.CreateBuildAsync(app, parse.GetValue(image)!, types, ct), build => ReleaseVersion.Done(build.Release));
        });
        return command;
    }

    /// <summary>"receive 0.1s, build 0.9s, ..." in the order the phases happen.</summary>
    private static string Phases(Dictionary<string, double> phases)
    {
        string[] order = ["receive", "compile", "build", "push", "release", "ready"];
        return string.Join(", ", phases.OrderBy(p => Array.IndexOf(order, p.Key) is var i && i < 0 ? order.Length : i)
            .Select(p => $"{p.Key} {p.Value.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)}s"));
    }

    private static string Source(Build build) =>
        build.Sha is { Length: > 0 } sha ? sha : build.Image ?? "";

    private static string ReadProcfile(CliContext cli, string file)
    {
        try
        {
            return File.ReadAllText(Path.GetFullPath(file, cli.Environment.WorkingDirectory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the Procfile {file}: {e.Message}", e);
        }
    }

    /// <summary><c>type: command</c> lines; blank lines and <c># comments</c> skipped.</summary>
    internal static Dictionary<string, string> ParseProcfile(string text, string source)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || line[(colon + 1)..].Trim().Length == 0)
            {
                throw new CliException($"{source} line {number}: expected \"type: command\", found \"{line}\"");
            }

            types[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        return types.Count > 0 ? types : throw new CliException($"{source} names no process types (expected lines like \"web: ./server\")");
    }
}
