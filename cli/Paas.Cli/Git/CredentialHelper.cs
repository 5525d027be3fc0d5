using System.Text.RegularExpressions;

namespace Paas.Cli.Git;

/// <summary>
/// Lets <c>git push</c> to the builder authenticate with the user's token instead of asking for a
/// password: git is told (globally, for the builder's origin only) to ask
/// <c>paas git:credentials get</c>, which answers with the profile's username and token.
/// </summary>
public static partial class CredentialHelper
{
    /// <summary>
    /// Configures git for the builder that serves <paramref name="gitUrl"/>. Returns false (and
    /// says why on stderr) when it cannot: pushing still works, git just asks for the password.
    /// </summary>
    public static async Task<bool> InstallAsync(CliContext cli, string gitUrl, CancellationToken cancellationToken)
    {
        if (OriginOf(gitUrl) is not { } origin)
        {
            return false; // e.g. an ssh:// remote: git's credential helpers do not apply
        }

        var key = $"credential.{origin}.helper";
        try
        {
            // The empty value first empties the list of helpers for this origin, so that a general
            // helper (cache, store, a keychain) cannot answer with a stale password before ours.
            await cli.Git.RunCheckedAsync(["config", "--global", "--replace-all", key, ""], cancellationToken);
            await cli.Git.RunCheckedAsync(["config", "--global", "--add", key, HelperCommand(cli.Environment)], cancellationToken);
            return true;
        }
        catch (CliException e)
        {
            cli.Output.Warning($"git will ask for a password when pushing to {origin}: could not configure a credential helper ({e.Message})");
            return false;
        }
    }

    /// <summary><c>scheme://host[:port]</c> of an http(s) push URL, as git's <c>credential.&lt;url&gt;</c> expects it.</summary>
    public static string? OriginOf(string gitUrl) =>
        Uri.TryCreate(gitUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? $"{uri.Scheme}://{uri.Authority}"
            : null;

    /// <summary>
    /// The helper as git runs it (a leading <c>!</c> means a shell command): <c>PAAS_CLI_PATH</c>
    /// when set, else this executable, and under the <c>dotnet</c> host <c>dotnet paas.dll</c>.
    /// </summary>
    public static string HelperCommand(CliEnvironment environment) =>
        "!" + CommandLine(environment.Variable("PAAS_CLI_PATH"), environment.ProcessPath, typeof(CredentialHelper).Assembly.Location)
        + " git:credentials";

    internal static string CommandLine(string? cliPath, string? processPath, string assemblyPath)
    {
        if (cliPath is not null)
        {
            return ShellQuote(cliPath);
        }

        if (processPath is null)
        {
            throw new CliException("Cannot tell where the paas executable is; set PAAS_CLI_PATH to it");
        }

        var host = Path.GetFileNameWithoutExtension(processPath);
        return string.Equals(host, "dotnet", StringComparison.OrdinalIgnoreCase) && assemblyPath.Length > 0
            ? $"{ShellQuote(processPath)} {ShellQuote(assemblyPath)}"
            : ShellQuote(processPath);
    }

    /// <summary>One word for sh: left bare when it is plainly safe, else in single quotes.</summary>
    public static string ShellQuote(string word) =>
        word.Length > 0 && SafeWord().IsMatch(word) ? word : "'" + word.Replace("'", @"'\''", StringComparison.Ordinal) + "'";

    /// <summary>
    /// git's credential-helper protocol: for <c>get</c>, read the <c>key=value</c> request up to a
    /// blank line and answer with the profile's username and token; <c>store</c> and <c>erase</c>
    /// (and operations added to git later) are ignored, as the protocol asks.
    /// </summary>
    public static async Task AnswerAsync(string operation, CliContext cli, CancellationToken cancellationToken)
    {
        // Read the request even when we ignore it, so git never writes into a closed pipe.
        while (await cli.Environment.In.ReadLineAsync(cancellationToken) is { Length: > 0 })
        {
        }

        if (operation != "get" || cli.Profiles.Load() is not { } profile)
        {
            return;
        }

        cli.Environment.Out.Write($"username={profile.Username}\npassword={profile.Token}\n");
    }

    [GeneratedRegex("^[A-Za-z0-9_./:@%+=,-]+$")]
    private static partial Regex SafeWord();
}
