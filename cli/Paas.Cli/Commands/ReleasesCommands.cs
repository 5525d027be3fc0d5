using System.CommandLine;
using System.Globalization;

namespace Paas.Cli.Commands;

/// <summary><c>releases:list</c>, <c>releases:info</c>.</summary>
internal static class ReleasesCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Info(cli)];

    private static Command List(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var limit = new Option<int>("--limit", "-l")
        {
            Description = "How many releases to show, newest first",
            HelpName = "N",
            DefaultValueFactory = _ => 100,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be 1 or more");
            }
        });
        var command = new Command("releases:list", "List an app's releases, newest first") { appOption, limit, json }
            .WithAliases("releases");

        command.SetAction(async (parse, ct) =>
        {
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var page = await client.ListReleasesAsync(app, parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(page.Results);
                return;
            }

            cli.Output.Header(page.Results.Count == page.Count ? $"{app} Releases" : $"{app} Releases ({page.Results.Count} of {page.Count})");
            if (page.Results.Count == 0)
            {
                cli.Output.Line("No releases");
                return;
            }

            cli.Output.Table(
                ["version", "created", "summary"],
                page.Results.Select(release => (IReadOnlyList<string>)[$"v{release.Version}", release.Created ?? "", release.Summary ?? ""]));
        });
        return command;
    }

    private static Command Info(CliContext cli)
    {
        var version = new Argument<string>("VERSION") { Description = "The release, e.g. v3" };
        var appOption = CommonOptions.App();
        var json = CommonOptions.Json();
        var command = new Command("releases:info", "Show one release") { version, appOption, json };

        command.SetAction(async (parse, ct) =>
        {
            var number = ParseVersion(parse.GetValue(version)!);
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            var release = await client.GetReleaseAsync(app, number, ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(release);
                return;
            }

            cli.Output.Header($"{app} Release v{release.Version}");
            cli.Output.Fields(
            [
                ("summary", release.Summary),
                ("owner", release.Owner),
                ("build", release.Build ?? "none"),
                ("config", release.Config),
                ("failed", release.Failed ? $"yes: {release.Exception}" : "no"),
                ("created", release.Created),
                ("updated", release.Updated),
                ("uuid", release.Uuid),
            ]);
        });
        return command;
    }

    /// <summary><c>v3</c> or <c>3</c>.</summary>
    private static int ParseVersion(string text)
    {
        var digits = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new CliException($"\"{text}\" is not a release version; expected something like v3");
    }
}
