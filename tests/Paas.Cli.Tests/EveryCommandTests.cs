using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>
/// Every command against a controller that refuses everything with a ProblemDetails: the first
/// request is the documented one (method, path, trailing slash or not) and the refusal is shown as
/// one <c>Error:</c> line with exit code 1. Also: notices, and help by topic.
/// </summary>
public sealed class EveryCommandTests : CommandTests
{
    private const string Refusal = "refused by the fake controller";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var work = Machine.WorkingDirectory;
        File.WriteAllText(Path.Combine(work, ".env"), "A=1\n");
        File.WriteAllText(Path.Combine(work, "key.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7n9N3Q alice@laptop\n");
        File.WriteAllText(Path.Combine(work, "cert.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
        File.WriteAllText(Path.Combine(work, "key.pem"), "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    }

    [Theory]
    [InlineData("apps:info -a demo", "GET /v2/apps/demo/")]
    [InlineData("apps:transfer bob -a demo", "POST /v2/apps/demo/")]
    [InlineData("events -a demo", "GET /v2/apps/demo/events/?limit=50")]
    [InlineData("run -a demo ls -la", "POST /v2/apps/demo/run")]
    [InlineData("logs -a demo", "GET /v2/apps/demo/logs?log_lines=100")]
    [InlineData("logs -f -a demo", "GET /v2/apps/demo/logs?log_lines=100&follow=true")]
    [InlineData("config -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("config:set A=1 -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("config:unset A -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("config:pull -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("config:push -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("releases -a demo", "GET /v2/apps/demo/releases/?limit=100")]
    [InlineData("releases:info v2 -a demo", "GET /v2/apps/demo/releases/v2/")]
    [InlineData("rollback -a demo", "POST /v2/apps/demo/releases/rollback/")]
    [InlineData("builds -a demo", "GET /v2/apps/demo/builds/?limit=100")]
    [InlineData("builds:info b1 -a demo", "GET /v2/apps/demo/builds/b1/")]
    [InlineData("pull shop:1 -a demo", "POST /v2/apps/demo/builds/")]
    [InlineData("ps -a demo", "GET /v2/apps/demo/pods/")]
    [InlineData("scale web=1 -a demo", "POST /v2/apps/demo/scale/")]
    [InlineData("ps:restart -a demo", "POST /v2/apps/demo/pods/restart/")]
    [InlineData("ps:restart web -a demo", "POST /v2/apps/demo/pods/web/restart/")]
    [InlineData("ps:restart demo-web-a1b2c -a demo", "GET /v2/apps/demo/pods/")]
    [InlineData("limits -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("limits:set web=1G -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("limits:unset --cpu web -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("healthchecks -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("healthchecks:set liveness tcpSocket 5000 -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("healthchecks:unset liveness -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("tags -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("tags:set a=b -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("tags:unset a -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("registry -a demo", "GET /v2/apps/demo/config/")]
    [InlineData("registry:set username=bot password=pw -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("registry:unset username password -a demo", "POST /v2/apps/demo/config/")]
    [InlineData("perms -a demo", "GET /v2/apps/demo/perms/")]
    [InlineData("perms --admin", "GET /v2/admin/perms/?limit=100")]
    [InlineData("perms:create bob -a demo", "POST /v2/apps/demo/perms/")]
    [InlineData("perms:delete bob --admin", "DELETE /v2/admin/perms/bob")]
    [InlineData("users", "GET /v2/users/?limit=100")]
    [InlineData("passwd --password a --new-password b", "POST /v2/auth/passwd/")]
    [InlineData("auth:regenerate", "POST /v2/auth/tokens/")]
    [InlineData("auth:cancel --yes", "DELETE /v2/auth/cancel/")]
    [InlineData("keys", "GET /v2/keys/?limit=100")]
    [InlineData("keys:add key.pub", "POST /v2/keys/")]
    [InlineData("keys:remove alice@laptop", "DELETE /v2/keys/alice@laptop")]
    [InlineData("domains -a demo", "GET /v2/apps/demo/domains/?limit=100")]
    [InlineData("domains:add shop.example.com -a demo", "POST /v2/apps/demo/domains/")]
    [InlineData("domains:remove shop.example.com -a demo", "DELETE /v2/apps/demo/domains/shop.example.com")]
    [InlineData("certs", "GET /v2/certs/?limit=100")]
    [InlineData("certs:info shop", "GET /v2/certs/shop")]
    [InlineData("certs:add shop cert.pem key.pem", "POST /v2/certs/")]
    [InlineData("certs:remove shop", "DELETE /v2/certs/shop")]
    [InlineData("certs:attach shop shop.example.com", "POST /v2/certs/shop/domain/")]
    [InlineData("certs:detach shop shop.example.com", "DELETE /v2/certs/shop/domain/shop.example.com")]
    [InlineData("maintenance -a demo", "GET /v2/apps/demo/settings/")]
    [InlineData("maintenance:on -a demo", "POST /v2/apps/demo/settings/")]
    [InlineData("routing -a demo", "GET /v2/apps/demo/settings/")]
    [InlineData("routing:disable -a demo", "POST /v2/apps/demo/settings/")]
    [InlineData("whitelist -a demo", "GET /v2/apps/demo/whitelist/")]
    [InlineData("whitelist:add 10.0.0.0/8 -a demo", "POST /v2/apps/demo/whitelist/")]
    [InlineData("whitelist:remove 10.0.0.0/8 -a demo", "DELETE /v2/apps/demo/whitelist/")]
    [InlineData("services -a demo", "GET /v2/apps/demo/services/")]
    [InlineData("services:add --type webhooks --route /webhooks -a demo", "POST /v2/apps/demo/services/")]
    [InlineData("services:remove webhooks -a demo", "DELETE /v2/apps/demo/services/")]
    [InlineData("tls -a demo", "GET /v2/apps/demo/tls/")]
    [InlineData("tls:enable -a demo", "POST /v2/apps/demo/tls/")]
    [InlineData("autoscale -a demo", "GET /v2/apps/demo/settings/")]
    [InlineData("autoscale:set web --min 1 --max 5 --cpu-percent 80 -a demo", "POST /v2/apps/demo/settings/")]
    [InlineData("autoscale:unset web -a demo", "POST /v2/apps/demo/settings/")]
    public async Task A_refusal_is_one_error_line_after_the_documented_request(string commandLine, string request)
    {
        Controller.OnAnythingElse(422, new { type = "about:blank", title = "Unprocessable Entity", status = 422, detail = Refusal });

        var result = await Machine.RunAsync(commandLine.Split(' '));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(request, Controller.Requests[0].ToString());
        Assert.Equal($"Error: {Refusal}\n", result.Stderr);
        Assert.Single(Controller.Requests);
    }

    [Fact]
    public async Task A_notice_is_printed_on_stderr_once_per_response()
    {
        Controller
            .On("POST", "/v2/apps/demo/scale/", 204)
            .WithNotice("POST", "/v2/apps/demo/scale/", "the docker scheduler runs at most 10 processes per type")
            .On("GET", "/v2/apps/demo/pods/", 200, new { count = 0, results = Array.Empty<object>() })
            .WithNotice("GET", "/v2/apps/demo/pods/", "process states are 2 s old");

        var result = await Machine.RunAsync("scale", "web=1", "-a", "demo");

        Succeeded(result);
        Assert.Equal(
            "Note: the docker scheduler runs at most 10 processes per type\nNote: process states are 2 s old\n",
            result.Stderr);
        Assert.StartsWith("Scaling processes... done\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_notice_comes_with_errors_and_streamed_answers_too()
    {
        Controller
            .On("POST", "/v2/apps/demo/config/", 400, Problem(400, "Tag key 'x y' is invalid."))
            .WithNotice("POST", "/v2/apps/demo/config/", "the docker scheduler ignores tags")
            .OnRaw("GET", "/v2/apps/demo/logs?log_lines=100", 200, "a line\n", "text/plain")
            .WithNotice("GET", "/v2/apps/demo/logs?log_lines=100", "logs are kept for 7 days");

        var refused = await Machine.RunAsync("tags:set", "x y=1", "-a", "demo");
        var logs = await Machine.RunAsync("logs", "-a", "demo");

        Assert.Equal("Note: the docker scheduler ignores tags\nError: Tag key 'x y' is invalid.\n", refused.Stderr);
        Assert.Equal("Note: logs are kept for 7 days\n", logs.Stderr);
        Assert.Equal("a line\n", logs.Stdout);
    }

    [Theory]
    [InlineData("help", "config")]
    [InlineData("config", "--help")]
    public async Task Help_on_a_topic_lists_its_commands(string first, string second)
    {
        var result = await Machine.RunAsync(first, second);

        Succeeded(result);
        Assert.StartsWith("paas config: an app's environment (config vars)\n\nCommands:\n", result.Stdout, StringComparison.Ordinal);
        foreach (var command in new[] { "config:list, config", "config:set <KEY=VALUE>...", "config:unset <KEY>...", "config:pull", "config:push" })
        {
            Assert.Contains($"  {command} ", result.Stdout, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("ps:list", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_on_a_command_is_its_usage()
    {
        var viaHelp = await Machine.RunAsync("help", "config:pull");
        var viaOption = await Machine.RunAsync("config:pull", "--help");
        var viaShortcut = await Machine.RunAsync("help", "run");

        Succeeded(viaHelp);
        Assert.Equal(viaOption.Stdout, viaHelp.Stdout);
        Assert.Contains("--overwrite", viaHelp.Stdout, StringComparison.Ordinal);
        Assert.Contains("paas apps:run <COMMAND>...", viaShortcut.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_on_something_unknown_is_an_error()
    {
        var result = await Machine.RunAsync("help", "frobnicate");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: \"frobnicate\" is neither a topic nor a command (see: paas --help)\n", result.Stderr);
    }

    [Fact]
    public async Task The_main_help_ends_with_the_topics()
    {
        var result = await Machine.RunAsync("--help");

        Succeeded(result);
        Assert.Contains("Topics:\n  auth ", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("  healthchecks  liveness and readiness checks\n", result.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("Run paas help TOPIC (or paas TOPIC --help) for a topic's commands.\n", result.Stdout, StringComparison.Ordinal);
    }
}
