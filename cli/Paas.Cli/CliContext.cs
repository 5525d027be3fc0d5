using Paas.Cli.Api;
using Paas.Cli.Git;

namespace Paas.Cli;

/// <summary>What every command works with during one invocation of the CLI.</summary>
public sealed class CliContext
{
    public const string DefaultRemote = "paas";

    private readonly Lazy<ProfileStore> profiles;

    public CliContext(CliEnvironment environment)
    {
        Environment = environment;
        Output = new Output(environment);
        Git = new GitRepository(environment);
        // Lazy: a bad PAAS_PROFILE should not break --help.
        profiles = new Lazy<ProfileStore>(() => new ProfileStore(environment));
    }

    public CliEnvironment Environment { get; }
    public Output Output { get; }
    public GitRepository Git { get; }
    public ProfileStore Profiles => profiles.Value;

    public Profile RequireProfile() =>
        Profiles.Load() ?? throw new CliException("Not logged in. Run: paas auth:login URL --username NAME");

    /// <summary>A client for the controller the user is logged in to, with their token.</summary>
    public ControllerClient ConnectAsUser()
    {
        var profile = RequireProfile();
        return Connect(profile.Controller, profile.Token);
    }

    /// <summary>A client for <paramref name="controller"/>, whose notices are shown to the user.</summary>
    public ControllerClient Connect(string controller, string? token) => new(controller, token, Output.Notice);

    /// <summary>
    /// The app a command acts on: <c>-a APP</c>; else the app of the current repository's
    /// <c>paas</c> remote (the last path segment of its URL, without <c>.git</c>).
    /// </summary>
    public async Task<string> ResolveAppAsync(string? appOption, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(appOption))
        {
            return appOption.Trim();
        }

        if (await Git.GetRemoteUrlAsync(DefaultRemote, cancellationToken) is { } url
            && GitRepository.AppFromRemoteUrl(url) is { } app)
        {
            return app;
        }

        throw new CliException(
            $"No app specified. Use -a APP, or run this inside a git repository with a \"{DefaultRemote}\" remote (paas git:remote -a APP).");
    }

    /// <summary>
    /// An option's value; when it was not given, the answer of the person at the terminal, and
    /// without a terminal (a script) a failure naming the option.
    /// </summary>
    public string RequireValue(string? value, string option, string question, bool secret = false)
    {
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        if (!Environment.IsInputTerminal)
        {
            throw new CliException($"{option} is required (there is no terminal to ask on)");
        }

        return Output.Ask(question, secret);
    }
}
