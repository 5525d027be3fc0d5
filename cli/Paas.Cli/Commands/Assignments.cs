namespace Paas.Cli.Commands;

/// <summary><c>NAME=value</c> arguments (config:set, ps:scale, limits:set, tags:set), checked before anything is sent.</summary>
internal static class Assignments
{
    /// <summary>Splits each argument at its first <c>=</c>; the name must not be empty.</summary>
    /// <param name="form">How the argument should look, for the message: <c>KEY=VALUE</c>.</param>
    /// <param name="example">A whole command that works, for the message.</param>
    public static IReadOnlyList<(string Name, string Value)> Parse(IEnumerable<string> arguments, string form, string example)
    {
        var parsed = new List<(string, string)>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new CliException($"\"{argument}\" is not {form} (e.g. paas {example})");
            }

            parsed.Add((argument[..equals], argument[(equals + 1)..]));
        }

        return parsed;
    }
}
