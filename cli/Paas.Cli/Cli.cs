using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using Paas.Cli.Api;
using Paas.Cli.Commands;

namespace Paas.Cli;

/// <summary>
/// The <c>paas</c> command: builds the command tree (one file per topic under <c>Commands/</c>),
/// runs one invocation and turns every failure into <c>Error: …</c> and exit code 1.
/// </summary>
public static class Cli
{
    /// <summary>Runs the CLI as if started with <paramref name="args"/>; tests call this with their own environment.</summary>
    public static async Task<int> RunAsync(string[] args, CliEnvironment environment, CancellationToken cancellationToken = default)
    {
        try
        {
            var context = new CliContext(environment);
            var parseResult = CreateRootCommand(context).Parse(AppsCommands.SeparateRunCommand(args));
            if (parseResult.Action is ParseErrorAction)
            {
                // System.CommandLine's own report adds the whole help text; one line per problem reads better.
                var command = parseResult.CommandResult.Command;
                var usage = command.Parents.Any() ? $"paas {command.Name} --help" : "paas --help";
                foreach (var error in parseResult.Errors)
                {
                    environment.Error.WriteLine($"Error: {error.Message} (see: {usage})");
                }

                return ErrorReporter.Failure;
            }

            return await parseResult.InvokeAsync(
                new InvocationConfiguration
                {
                    Output = environment.Out,
                    Error = environment.Error,
                    EnableDefaultExceptionHandler = false, // failures are reported below, never as stack traces
                },
                cancellationToken);
        }
        catch (Exception e)
        {
            return ErrorReporter.Report(e, environment);
        }
    }

    public static Command CreateRootCommand(CliContext context)
    {
        // A plain Command rather than RootCommand: RootCommand names itself after the host process
        // (testhost under tests) and reports the entry assembly's version.
        var help = new HelpOption();
        var root = new Command("paas", "Paas: deploy apps with git push, run and scale them.")
        {
            help,
            new VersionOption { Action = new PrintVersionAction(context) },
        };

        IEnumerable<Command>[] topics =
        [
            AuthCommands.Create(context),
            AppsCommands.Create(context),
            GitCommands.Create(context),
            ConfigCommands.Create(context),
            BuildsCommands.Create(context),
            ReleasesCommands.Create(context),
            PsCommands.Create(context),
            LimitsCommands.Create(context),
            HealthchecksCommands.Create(context),
            TagsCommands.Create(context),
            RegistryCommands.Create(context),
            DomainsCommands.Create(context),
            CertsCommands.Create(context),
            TlsCommands.Create(context),
            MaintenanceCommands.Create(context),
            RoutingCommands.Create(context),
            WhitelistCommands.Create(context),
            ServicesCommands.Create(context),
            AutoscaleCommands.Create(context),
            PermsCommands.Create(context),
            UsersCommands.Create(context),
            KeysCommands.Create(context),
        ];
        foreach (var command in topics.SelectMany(commands => commands))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(HelpCommands.Create(context, root));
        HelpCommands.InstallTopicHelp(root, help);
        root.SetAction(parseResult => ((SynchronousCommandLineAction)help.Action!).Invoke(parseResult));
        return root;
    }

    private sealed class PrintVersionAction(CliContext context) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            context.Output.Line(ControllerClient.Version);
            return ErrorReporter.Success;
        }
    }
}
