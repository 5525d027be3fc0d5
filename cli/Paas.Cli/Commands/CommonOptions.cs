using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary>Options many commands share; each command gets its own instance.</summary>
internal static class CommonOptions
{
    public static Option<string?> App() => new("--app", "-a")
    {
        Description = "The app to act on (default: the app of this repository's \"paas\" git remote)",
        HelpName = "APP",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print JSON, for scripts",
    };

    public static Option<string> Remote() => new("--remote", "-r")
    {
        Description = "The name of the git remote",
        HelpName = "NAME",
        DefaultValueFactory = _ => CliContext.DefaultRemote,
    };

    /// <summary>A count of 1 or more (<c>-n 20</c>).</summary>
    public static Option<int> Limit(string name, string description, int defaultValue)
    {
        var option = new Option<int>(name)
        {
            Description = description,
            HelpName = "N",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError($"{name} must be 1 or more");
            }
        });
        return option;
    }

    /// <summary>Adds Heroku-style short names (<c>login</c> for <c>auth:login</c>).</summary>
    public static Command WithAliases(this Command command, params string[] aliases)
    {
        foreach (var alias in aliases)
        {
            command.Aliases.Add(alias);
        }

        return command;
    }
}
