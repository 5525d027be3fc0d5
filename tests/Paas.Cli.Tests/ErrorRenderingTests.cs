using System.Net;
using System.Net.Sockets;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>What the user sees when the controller says no: one line on stderr, exit code 1.</summary>
public sealed class ErrorRenderingTests : IAsyncLifetime, IDisposable
{
    private const string Problem = "application/problem+json";
    private const string Json = "application/json";

    private readonly CliHarness machine = new();
    private FakeController controller = null!;

    public async Task InitializeAsync()
    {
        controller = await FakeController.StartAsync();
        machine.LogIn(controller.Url);
    }

    [Theory]
    [InlineData(404, Problem,
        """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404,"detail":"No App matches the given query."}""",
        "No App matches the given query.")]
    [InlineData(404, Json, "\"No App matches the given query.\"", "No App matches the given query.")]
    [InlineData(400, Json, """{"id":["App name can only contain a-z (lowercase), 0-9 and hyphens"]}""",
        "id: App name can only contain a-z (lowercase), 0-9 and hyphens")]
    [InlineData(400, Problem, """{"title":"Bad Request","status":400,"detail":"App name can only contain a-z","id":["App name can only contain a-z"]}""",
        "App name can only contain a-z")]
    [InlineData(400, Json, """{"id":["This field may not be blank."],"owner":["Not a user.","Really not."]}""",
        "id: This field may not be blank.; owner: Not a user.; owner: Really not.")]
    [InlineData(400, Problem, """{"title":"One or more validation errors occurred.","status":400,"errors":{"id":["too long"]}}""",
        "id: too long")]
    [InlineData(409, Problem, """{"title":"Conflict","status":409}""", "Conflict")]
    [InlineData(403, Problem, """{"title":"Forbidden","status":403,"detail":"Only alice can change demo."}""",
        "You do not have permission to do this. Only alice can change demo.")]
    [InlineData(403, Json, "", "You do not have permission to do this.")]
    [InlineData(500, "text/html", "<html><body>Internal Server Error</body></html>", "The controller answered 500 Internal Server Error")]
    [InlineData(502, "text/plain", "", "The controller answered 502 Bad Gateway")]
    [InlineData(503, "text/plain", "upstream connect error", "upstream connect error")]
    public async Task The_controllers_error_becomes_one_line(int status, string contentType, string body, string expected)
    {
        controller.OnRaw("GET", "/v2/apps/demo/", status, body, contentType);

        var result = await machine.RunAsync("apps:info", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"Error: {expected}\n", result.Stderr);
    }

    [Fact]
    public async Task A_401_says_to_log_in_again_at_the_controller()
    {
        controller.On("GET", "/v2/auth/whoami/", 401, new { detail = "Invalid token." });

        var result = await machine.RunAsync("whoami");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"Error: Unauthorized: your token is missing or no longer valid. Log in again: paas auth:login {controller.Url}\n",
            result.Stderr);
    }

    [Fact]
    public async Task A_controller_that_is_not_running_is_reported_without_a_stack_trace()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        machine.LogIn($"http://127.0.0.1:{closedPort}");

        var result = await machine.RunAsync("apps");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: Cannot reach the controller at http://127.0.0.1:{closedPort}: ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("refused", result.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task An_answer_that_is_not_the_api_is_reported_as_such()
    {
        controller.OnRaw("GET", "/v2/apps/demo/", 200, "<html>welcome to nginx</html>", "text/html");

        var result = await machine.RunAsync("apps:info", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: The controller's answer to GET /v2/apps/demo/ is not what the CLI expects", result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task A_damaged_profile_says_to_log_in_again()
    {
        File.WriteAllText(machine.ProfilePath, "{not json");

        var result = await machine.RunAsync("apps");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Error: The profile {machine.ProfilePath} is damaged", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("paas auth:login", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_step_finishes_its_line_before_the_error()
    {
        controller.On("POST", "/v2/apps/", 400, new { id = (string[])["Application with this id already exists."] });

        var result = await machine.RunAsync("apps:create", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Creating app... failed\n", result.Stdout);
        Assert.Equal("Error: id: Application with this id already exists.\n", result.Stderr);
    }

    public async Task DisposeAsync() => await controller.DisposeAsync();

    public void Dispose() => machine.Dispose();
}
