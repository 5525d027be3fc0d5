using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>register, login, whoami, logout, and the profile they write and read.</summary>
public sealed class AuthCommandsTests : IAsyncLifetime, IDisposable
{
    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        controller
            .On("GET", "/v2/", 401, new { detail = "Authentication credentials were not provided." })
            .On("POST", "/v2/auth/register/", 201, new { username = "alice", email = "alice@example.test" })
            .On("POST", "/v2/auth/login/", 200, new { token = "t0k3n-from-login" })
            .On("GET", "/v2/auth/whoami/", 200, new { username = "alice", email = "alice@example.test", is_superuser = true });
    }

    [Fact]
    public async Task Login_saves_a_profile_only_the_user_can_read()
    {
        var result = await machine.RunAsync("auth:login", controller.Url, "--username", "alice", "--password", "s3cret");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Logged in as alice\n", result.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(machine.ProfilePath));
        Assert.Equal(
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(machine.ProfilePath)!));
        using var profile = JsonDocument.Parse(File.ReadAllText(machine.ProfilePath));
        Assert.Equal(controller.Url, profile.RootElement.GetProperty("controller").GetString());
        Assert.Equal("alice", profile.RootElement.GetProperty("username").GetString());
        Assert.Equal("t0k3n-from-login", profile.RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public async Task Login_checks_the_controller_then_posts_the_credentials_without_a_token()
    {
        machine.LogIn(controller.Url, "bob", "bobs-old-token");

        await machine.RunAsync("login", controller.Url, "--username", "alice", "--password", "s3cret");

        Assert.Equal(["GET /v2/", "POST /v2/auth/login/"], controller.Requests.Select(r => r.ToString()));
        var login = controller.Requests[1];
        Assert.Equal("""{"username":"alice","password":"s3cret"}""", login.Body);
        Assert.Equal("application/json", login.Header("Content-Type"));
        Assert.Null(login.Header("Authorization"));
    }

    [Fact]
    public async Task A_controller_url_without_a_scheme_means_http()
    {
        var hostAndPort = controller.Url["http://".Length..];

        var result = await machine.RunAsync("login", hostAndPort + "/", "--username", "alice", "--password", "s3cret");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var profile = JsonDocument.Parse(File.ReadAllText(machine.ProfilePath));
        Assert.Equal(controller.Url, profile.RootElement.GetProperty("controller").GetString());
    }

    [Fact]
    public async Task Whoami_reads_the_profile_back_and_sends_its_token()
    {
        await machine.RunAsync("login", controller.Url, "--username", "alice", "--password", "s3cret");

        var result = await machine.RunAsync("whoami");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal($"You are alice at {controller.Url}\n", result.Stdout);
        var whoami = controller.Requests[^1];
        Assert.Equal("GET /v2/auth/whoami/", whoami.ToString());
        Assert.Equal("token t0k3n-from-login", whoami.Header("Authorization"));
    }

    [Fact]
    public async Task Whoami_json_prints_the_user_object()
    {
        machine.LogIn(controller.Url);

        var result = await machine.RunAsync("auth:whoami", "--json");

        using var user = JsonDocument.Parse(result.Stdout);
        Assert.Equal("alice", user.RootElement.GetProperty("username").GetString());
        Assert.True(user.RootElement.GetProperty("is_superuser").GetBoolean());
    }

    [Fact]
    public async Task PAAS_PROFILE_selects_another_profile_file()
    {
        machine.Variables["PAAS_PROFILE"] = "staging";

        var login = await machine.RunAsync("login", controller.Url, "--username", "alice", "--password", "s3cret");
        var whoami = await machine.RunAsync("whoami");
        machine.Variables.Remove("PAAS_PROFILE");
        var withDefaultProfile = await machine.RunAsync("whoami");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.True(File.Exists(Path.Combine(machine.Home, ".paas", "staging.json")));
        Assert.False(File.Exists(machine.ProfilePath));
        Assert.Equal($"You are alice at {controller.Url}\n", whoami.Stdout);
        Assert.Equal(1, withDefaultProfile.ExitCode);
    }

    [Theory]
    [InlineData("whoami")]
    [InlineData("apps")]
    [InlineData("apps:create", "demo")]
    [InlineData("apps:info", "-a", "demo")]
    [InlineData("releases", "-a", "demo")]
    public async Task Without_a_profile_commands_say_how_to_log_in(params string[] args)
    {
        var result = await machine.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("Error: Not logged in. Run: paas auth:login URL --username NAME\n", result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task Logout_removes_the_profile()
    {
        machine.LogIn(controller.Url);

        var logout = await machine.RunAsync("logout");
        var whoami = await machine.RunAsync("whoami");

        Assert.Equal("Logged out\n", logout.Stdout);
        Assert.False(File.Exists(machine.ProfilePath));
        Assert.Equal(1, whoami.ExitCode);
        Assert.Contains("Not logged in", whoami.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_terminal_a_missing_password_is_an_error_not_a_prompt()
    {
        var result = await machine.RunAsync("login", controller.Url, "--username", "alice");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --password is required (there is no terminal to ask on)\n", result.Stderr);
        Assert.Empty(controller.Requests);
    }

    [Fact]
    public async Task Bad_credentials_show_the_controllers_message_and_write_no_profile()
    {
        controller.On("POST", "/v2/auth/login/", 400, new { non_field_errors = (string[])["Unable to log in with provided credentials."] });

        var result = await machine.RunAsync("login", controller.Url, "--username", "alice", "--password", "wrong");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Unable to log in with provided credentials.\n", result.Stderr);
        Assert.False(File.Exists(machine.ProfilePath));
    }

    [Fact]
    public async Task Register_checks_the_controller_registers_and_logs_in()
    {
        var result = await machine.RunAsync(
            "register", controller.Url, "--username", "alice", "--password", "s3cret", "--email", "alice@example.test");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Registered alice\nLogged in as alice\n", result.Stdout);
        Assert.Equal(["GET /v2/", "POST /v2/auth/register/", "POST /v2/auth/login/"], controller.Requests.Select(r => r.ToString()));
        Assert.Equal("""{"username":"alice","password":"s3cret","email":"alice@example.test"}""", controller.Requests[1].Body);
        Assert.True(File.Exists(machine.ProfilePath));
    }

    [Fact]
    public async Task Register_with_login_false_does_not_log_in()
    {
        var result = await machine.RunAsync(
            "auth:register", controller.Url, "--username", "alice", "--password", "s3cret", "--email", "alice@example.test", "--login=false");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("Registered alice\n", result.Stdout);
        Assert.DoesNotContain(controller.Requests, r => r.PathAndQuery == "/v2/auth/login/");
        Assert.False(File.Exists(machine.ProfilePath));
    }

    [Fact]
    public async Task Register_refuses_a_server_that_does_not_answer_401_on_v2()
    {
        controller.On("GET", "/v2/", 200, new { hello = "world" });

        var result = await machine.RunAsync(
            "register", controller.Url, "--username", "alice", "--password", "s3cret", "--email", "alice@example.test");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: {controller.Url} does not look like a Paas controller", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["GET /v2/"], controller.Requests.Select(r => r.ToString()));
    }

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
