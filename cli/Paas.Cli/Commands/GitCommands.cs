using System.CommandLine;
using Paas.Cli.Git;

namespace Paas.Cli.Commands;

/// <summary><c>git:remote</c>, and the hidden <c>git:credentials</c> that git itself calls.</summary>
internal static class GitCommands
{
    public static IEnumerable<Command> Create(CliContext cli) => [Remote(cli), Credentials(cli)];

    private static Command Remote(CliContext cli)
    {
        var appOption = CommonOptions.App();
        var remote = CommonOptions.Remote();
        var command = new Command("git:remote", "Add a git remote for an existing app") { appOption, remote };

        command.SetAction(async (parse, ct) =>
        {
            var remoteName = parse.GetValue(remote)!;
            var appName = await cli.ResolveAppAsync(parse.GetValue(appOption), ct);
            if (!await cli.Git.IsInsideWorkTreeAsync(ct))
            {
                throw new CliException("Not inside a git repository: run this in your app's directory (after git init)");
            }

            using var client = cli.ConnectAsUser();
            var app = await client.GetAppAsync(appName, ct);
            var gitUrl = app.GitUrl
                ?? throw new CliException($"The controller did not say where to push {appName} (no git_url in its answer)");

            var existing = await cli.Git.GetRemoteUrlAsync(remoteName, ct);
            if (existing is null)
            {
                await cli.Git.AddRemoteAsync(remoteName, gitUrl, ct);
                cli.Output.Line($"Git remote {remoteName} added");
            }
            else if (GitRepository.SameUrl(existing, gitUrl))
            {
                cli.Output.Line($"Git remote {remoteName} already points at {appName}");
            }
            else
            {
                throw new CliException(
                    $"This repository already has a git remote \"{remoteName}\" ({existing}). "
                    + $"Remove it (git remote remove {remoteName}) or choose another name with --remote NAME.");
            }

            await CredentialHelper.InstallAsync(cli, gitUrl, ct);
        });
        return command;
    }

    private static Command Credentials(CliContext cli)
    {
        var operation = new Argument<string>("OPERATION") { Description = "get, store or erase (git's credential-helper protocol)" };
        var command = new Command("git:credentials", "git's credential helper for pushes to the builder") { operation };
        command.Hidden = true;

        command.SetAction((parse, ct) => CredentialHelper.AnswerAsync(parse.GetValue(operation)!, cli, ct));
        return command;
    }
}
