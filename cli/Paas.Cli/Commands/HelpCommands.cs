using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Paas.Cli.Commands;

/// <summary>
/// Help by topic, as Heroku and Deis have it: <c>paas help config</c> and <c>paas config --help</c>
/// list the <c>config:*</c> commands; <c>paas help config:set</c> is <c>paas config:set --help</c>.
/// </summary>
internal static class HelpCommands
{
    /// <summary>The topics (the part before the colon) in the order <c>paas --help</c> lists them.</summary>
    private static readonly (string Name, string Description)[] Topics =
    [
        ("auth", "your account: register, log in, passwords, tokens"),
        ("apps", "create, inspect, transfer and destroy apps; one-off runs, logs, activity"),
        ("git", "the git remote you push to"),
        ("config", "an app's environment (config vars)"),
        ("builds", "an app's builds; deploying an existing image"),
        ("releases", "an app's releases; rolling back"),
        ("ps", "an app's processes: list, scale, restart"),
        ("autoscale", "scaling a process type with its CPU use (Kubernetes)"),
        ("limits", "memory and CPU limits per process type"),
        ("healthchecks", "liveness and readiness checks"),
        ("tags", "which nodes an app's processes run on"),
        ("domains", "the domains an app answers to"),
        ("certs", "TLS certificates for domains"),
        ("tls", "redirecting HTTP to HTTPS"),
        ("maintenance", "answering 503 while you work on an app"),
        ("routing", "whether the router sends requests to an app"),
        ("whitelist", "which addresses may reach an app"),
        ("services", "sending some paths to a process type other than web"),
        ("perms", "who may change an app; administrators"),
        ("users", "the platform's users"),
        ("keys", "your SSH public keys"),
    ];

    public static Command Create(CliContext cli, Command root)
    {
        var name = new Argument<string?>("TOPIC|COMMAND")
        {
            Description = "A topic (config) or a command (config:set)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("help", "Show the commands of a topic, or one command's help") { name };

        command.SetAction(parse =>
        {
            var configuration = new InvocationConfiguration { Output = cli.Environment.Out, Error = cli.Environment.Error };
            var wanted = parse.GetValue(name);
            if (wanted is null)
            {
                return root.Parse(["--help"]).Invoke(configuration);
            }

            if (IsTopic(root, wanted))
            {
                WriteTopic(cli.Environment.Out, root, wanted);
                return ErrorReporter.Success;
            }

            var known = root.Subcommands.Any(c => !c.Hidden && (c.Name == wanted || c.Aliases.Contains(wanted)));
            return known
                ? root.Parse([wanted, "--help"]).Invoke(configuration)
                : throw new CliException($"\"{wanted}\" is neither a topic nor a command (see: paas --help)");
        });
        return command;
    }

    /// <summary>Makes <c>--help</c> on a topic's own name (<c>paas config --help</c>) list the topic.</summary>
    public static void InstallTopicHelp(Command root, HelpOption help) =>
        help.Action = new TopicHelpAction(root, (HelpAction)help.Action!);

    private static bool IsTopic(Command root, string name) =>
        !name.Contains(':', StringComparison.Ordinal) && TopicCommands(root, name).Any();

    private static IEnumerable<Command> TopicCommands(Command root, string topic) =>
        root.Subcommands.Where(c => !c.Hidden && c.Name.StartsWith(topic + ":", StringComparison.Ordinal));

    private static void WriteTopic(TextWriter output, Command root, string topic)
    {
        var description = Topics.FirstOrDefault(t => t.Name == topic).Description;
        output.WriteLine(description is null ? $"paas {topic}" : $"paas {topic}: {description}");
        output.WriteLine();
        output.WriteLine("Commands:");
        var rows = TopicCommands(root, topic)
            .Select(c => (Names: string.Join(", ", [c.Name, .. c.Aliases]) + Usage(c), c.Description ?? ""))
            .ToList();
        var width = rows.Max(row => row.Names.Length);
        foreach (var (names, text) in rows)
        {
            output.WriteLine($"  {names.PadRight(width)}  {text}");
        }

        output.WriteLine();
        output.WriteLine($"Run paas COMMAND --help for a command's options, e.g. paas {rows[0].Names.Split(',', ' ')[0]} --help");
    }

    /// <summary><c> &lt;KEY=VALUE&gt;...</c>: the arguments, as the help's usage line shows them.</summary>
    private static string Usage(Command command) =>
        string.Concat(command.Arguments.Where(a => !a.Hidden).Select(a =>
            a.Arity.MinimumNumberOfValues == 0
                ? $" [<{a.Name}>{(a.Arity.MaximumNumberOfValues > 1 ? "..." : "")}]"
                : $" <{a.Name}>{(a.Arity.MaximumNumberOfValues > 1 ? "..." : "")}"));

    private sealed class TopicHelpAction(Command root, HelpAction standard) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var result = parseResult.CommandResult;
            var output = parseResult.InvocationConfiguration.Output;
            if (result.Command != root && result.IdentifierToken.Value is var used && IsTopic(root, used))
            {
                WriteTopic(output, root, used);
                return ErrorReporter.Success;
            }

            var exitCode = standard.Invoke(parseResult);
            if (result.Command == root)
            {
                output.WriteLine("Topics:");
                var width = Topics.Max(t => t.Name.Length);
                foreach (var (name, description) in Topics)
                {
                    output.WriteLine($"  {name.PadRight(width)}  {description}");
                }

                output.WriteLine();
                output.WriteLine("Run paas help TOPIC (or paas TOPIC --help) for a topic's commands.");
            }

            return exitCode;
        }
    }
}
