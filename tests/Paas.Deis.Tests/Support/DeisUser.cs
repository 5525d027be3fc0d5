using System.Net.Http.Headers;
using System.Text.Json;
using Paas.Testing;

namespace Paas.Deis.Tests.Support;

/// <summary>Someone with the deis CLI in their fingers: a HOME of their own (its ~/.deis profile) and git.</summary>
public sealed class DeisUser
{
    private readonly DeisPlatform platform;

    internal DeisUser(DeisPlatform platform, string username)
    {
        this.platform = platform;
        Username = username;
        Home = Path.Combine(platform.StateDirectory, "deis-homes", username);
        Directory.CreateDirectory(Home);
    }

    public string Username { get; }

    public string Password { get; } = "s3cret-pass";

    public string Home { get; }

    /// <summary>The token the CLI saved in its profile.</summary>
    public string Token =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Home, ".deis", "client.json"))).RootElement.GetProperty("token").GetString()!;

    private Dictionary<string, string?> Environment() => new()
    {
        ["HOME"] = Home,
        ["DEIS_PROFILE"] = null,
        ["DEIS_CONTROLLER_URL"] = null,
        ["GIT_TERMINAL_PROMPT"] = "0",
        ["GIT_CONFIG_NOSYSTEM"] = "1",
        ["GIT_AUTHOR_NAME"] = Username,
        ["GIT_AUTHOR_EMAIL"] = $"{Username}@example.com",
        ["GIT_COMMITTER_NAME"] = Username,
        ["GIT_COMMITTER_EMAIL"] = $"{Username}@example.com",
        ["GIT_SSH_COMMAND"] = $"ssh -i {Path.Combine(Home, "id_ed25519")} -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o IdentitiesOnly=yes -o LogLevel=ERROR",
    };

    /// <summary>Runs `deis ARGS` in the user's home (or <paramref name="cwd"/>).</summary>
    public Task<CommandResult> Deis(params string[] args) => DeisIn(Home, args);

    public Task<CommandResult> DeisIn(string cwd, params string[] args) =>
        Processes.RunAsync(DeisPlatform.DeisBinary!, args, cwd, Environment(), TimeSpan.FromMinutes(4));

    public Task<CommandResult> Git(string cwd, params string[] args) =>
        Processes.RunAsync("git", args, cwd, Environment(), TimeSpan.FromMinutes(5));

    /// <summary>deis register, then the login it does by itself.</summary>
    public async Task<DeisUser> RegisterAsync()
    {
        (await Deis("register", platform.DeisUrl, $"--username={Username}", $"--password={Password}", $"--email={Username}@example.com"))
            .ShouldSucceed($"deis register {Username}");
        return this;
    }

    /// <summary>Makes an SSH key pair in the user's home; returns the public key's path.</summary>
    public async Task<string> MakeSshKeyAsync()
    {
        var key = Path.Combine(Home, "id_ed25519");
        if (!File.Exists(key))
            (await Processes.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", $"{Username}@laptop", "-f", key]))
                .ShouldSucceed("ssh-keygen");
        return key + ".pub";
    }

    /// <summary>An HttpClient for the controller's API with the token <paramref name="token"/>.</summary>
    public HttpClient Api(string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(platform.ControllerUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return http;
    }
}
