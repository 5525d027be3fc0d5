using System.Collections;

namespace Paas.Cli;

/// <summary>
/// Everything a command reads from or writes to the outside world besides the network: the
/// standard streams, the environment variables, the working directory and whether a person is
/// at a terminal. Tests build their own, so they never touch the test process's environment.
/// </summary>
public sealed class CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required TextReader In { get; init; }
    public required string WorkingDirectory { get; init; }

    /// <summary>The complete environment; child processes (git) get exactly these variables.</summary>
    public required IReadOnlyDictionary<string, string> Variables { get; init; }

    /// <summary>A person can answer prompts (stdin is a terminal).</summary>
    public bool IsInputTerminal { get; init; }

    /// <summary>stdout is a terminal: colours and the terminal's width apply.</summary>
    public bool IsOutputTerminal { get; init; }

    /// <summary>The running executable (the <c>dotnet</c> host when started as <c>dotnet paas.dll</c>).</summary>
    public string? ProcessPath { get; init; }

    public static CliEnvironment FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = entry.Value as string ?? "";
        }

        return new CliEnvironment
        {
            Out = Console.Out,
            Error = Console.Error,
            In = Console.In,
            WorkingDirectory = Directory.GetCurrentDirectory(),
            Variables = variables,
            IsInputTerminal = !Console.IsInputRedirected,
            IsOutputTerminal = !Console.IsOutputRedirected,
            ProcessPath = Environment.ProcessPath,
        };
    }

    /// <summary>The variable's value, or null when it is unset or empty.</summary>
    public string? Variable(string name) =>
        Variables.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public string HomeDirectory =>
        Variable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
