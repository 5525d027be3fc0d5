using System.CommandLine;
using Paas.Cli.Api;

namespace Paas.Cli.Commands;

/// <summary><c>releases:list</c>, <c>releases:info</c>, <c>releases:rollback</c>.</summary>
internal static class ReleasesCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Info(cli), Rollback(cli)];

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
            var number = ReleaseVersion.Parse(parse.GetValue(version)!);
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

    private static Command Rollback(CliContext cli)
    {
        var version = new Argument<string?>("VERSION")
        {
            Description = "The release whose build and config to bring back, e.g. v3 (default: the one before the current release)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var appOption = CommonOptions.App();
        var command = new Command("releases:rollback", "Make a new release with the build and config of an earlier one, and deploy it")
        {
            version, appOption,
        }.WithAliases("rollback");

        command.SetAction(async (parse, ct) =>
        {
            int? number = parse.GetValue(version) is { } text ? ReleaseVersion.Parse(text) : null;
            var app = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync(
                number is { } target ? $"Rolling back to v{target}" : "Rolling back one release",
                () => client.RollbackAsync(app, number, ct),
                answer => ReleaseVersion.Done(answer));
        });
        return command;
    }
}
