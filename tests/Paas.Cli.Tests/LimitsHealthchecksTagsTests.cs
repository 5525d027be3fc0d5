using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>limits:*, healthchecks:* and tags:*: the config-backed settings beside the environment.</summary>
public sealed class LimitsHealthchecksTagsTests : CommandTests
{
    private const string ConfigPath = "/v2/apps/demo/config/";

    private static readonly object Readiness = new
    {
        initialDelaySeconds = 0,
        timeoutSeconds = 1,
        periodSeconds = 2,
        successThreshold = 1,
        failureThreshold = 3,
        httpGet = new { path = "/health", port = 5000 },
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Controller.On("GET", ConfigPath, 200, Config());
    }

    private static object Config(int? release = null) => new
    {
        app = "demo",
        values = new Dictionary<string, string>(),
        memory = new Dictionary<string, string> { ["web"] = "256M", ["worker"] = "1G" },
        cpu = new Dictionary<string, string>(),
        tags = new Dictionary<string, string> { ["environ"] = "prod" },
        healthcheck = new Dictionary<string, object>
        {
            ["web/cmd"] = new Dictionary<string, object?>
            {
                ["livenessProbe"] = new
                {
                    initialDelaySeconds = 5,
                    timeoutSeconds = 2,
                    periodSeconds = 10,
                    successThreshold = 1,
                    failureThreshold = 4,
                    exec = new { command = new[] { "cat", "/tmp/healthy" } },
                },
                ["readinessProbe"] = Readiness,
            },
            ["worker"] = new Dictionary<string, object?>
            {
                ["livenessProbe"] = new
                {
                    initialDelaySeconds = 0,
                    timeoutSeconds = 1,
                    periodSeconds = 2,
                    successThreshold = 2,
                    failureThreshold = 3,
                    tcpSocket = new { port = 6000 },
                },
                ["readinessProbe"] = null,
            },
        },
        release,
    };

    [Fact]
    public async Task Limits_lists_memory_and_cpu()
    {
        var result = await Machine.RunAsync("limits", "-a", "demo");

        Succeeded(result);
        Assert.Equal(["GET /v2/apps/demo/config/"], RequestLines);
        Assert.Equal(
            """
            === demo Limits
            --- Memory
            web     256M
            worker  1G

            --- CPU
            Unlimited

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Limits_json_has_memory_and_cpu()
    {
        var result = await Machine.RunAsync("limits:list", "--json", "-a", "demo");

        using var limits = JsonDocument.Parse(result.Stdout);
        Assert.Equal("1G", limits.RootElement.GetProperty("memory").GetProperty("worker").GetString());
        Assert.Equal(JsonValueKind.Object, limits.RootElement.GetProperty("cpu").ValueKind);
    }

    [Theory]
    [InlineData(new[] { "limits:set", "web=512M", "worker=2G" }, """{"memory":{"web":"512M","worker":"2G"}}""")]
    [InlineData(new[] { "limits:set", "--memory", "web=512M" }, """{"memory":{"web":"512M"}}""")]
    [InlineData(new[] { "limits:set", "--cpu", "web=500m" }, """{"cpu":{"web":"500m"}}""")]
    [InlineData(new[] { "limits:unset", "web" }, """{"memory":{"web":null}}""")]
    [InlineData(new[] { "limits:unset", "--cpu", "web", "worker" }, """{"cpu":{"web":null,"worker":null}}""")]
    public async Task Limits_set_and_unset_post_one_kind_of_limit(string[] args, string body)
    {
        Controller.On("POST", ConfigPath, 201, Config(release: 5));

        var result = await Machine.RunAsync([.. args, "-a", "demo"]);

        Succeeded(result);
        Assert.Equal(body, Compact(BodyOf("POST", ConfigPath)));
        Assert.Matches(@"^(Applying|Removing) limits and restarting demo\.\.\. done, v5\n\n=== demo Limits\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "limits:set", "--memory", "--cpu", "web=1" }, "Error: --memory and --cpu cannot be used together: set one kind of limit at a time\n")]
    [InlineData(new[] { "limits:set", "web" }, "Error: \"web\" is not TYPE=VALUE (e.g. paas limits:set web=256M)\n")]
    [InlineData(new[] { "limits:set", "web=" }, "Error: \"web=\" has no limit; to remove one: paas limits:unset web\n")]
    public async Task Limits_refuse_bad_arguments_locally(string[] args, string error)
    {
        var result = await Machine.RunAsync([.. args, "-a", "demo"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Limits_show_the_controllers_refusal()
    {
        Controller.On("POST", ConfigPath, 400, Problem(400, "Memory limit '12X' is invalid: use a number with M or G, e.g. 256M."));

        var result = await Machine.RunAsync("limits:set", "web=12X", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Memory limit '12X' is invalid: use a number with M or G, e.g. 256M.\n", result.Stderr);
    }

    [Fact]
    public async Task Healthchecks_describe_each_probe_readably()
    {
        var result = await Machine.RunAsync("healthchecks", "-a", "demo");

        Succeeded(result);
        Assert.Equal(
            """
            === demo Healthchecks

            --- web/cmd
            liveness: exec cat /tmp/healthy, every 10 s, timeout 2 s, after 5 s, 4 failures
            readiness: httpGet /health on port 5000, every 2 s, timeout 1 s, after 0 s, 3 failures

            --- worker
            liveness: tcpSocket on port 6000, every 2 s, timeout 1 s, after 0 s, 3 failures, 2 successes
            readiness: none

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Healthchecks_of_one_type_as_json()
    {
        var result = await Machine.RunAsync("healthchecks:list", "--type", "worker", "--json", "-a", "demo");

        using var checks = JsonDocument.Parse(result.Stdout);
        var worker = Assert.Single(checks.RootElement.EnumerateObject());
        Assert.Equal("worker", worker.Name);
        Assert.Equal(6000, worker.Value.GetProperty("livenessProbe").GetProperty("tcpSocket").GetProperty("port").GetInt32());
    }

    [Theory]
    [InlineData(
        new[] { "healthchecks:set", "readiness", "httpGet", "/health" },
        """{"healthcheck":{"web/cmd":{"readinessProbe":{"initialDelaySeconds":0,"timeoutSeconds":1,"periodSeconds":2,"successThreshold":1,"failureThreshold":3,"httpGet":{"path":"/health","port":5000}}}}}""")]
    [InlineData(
        new[]
        {
            "healthchecks:set", "liveness", "httpGet", "/up", "--port", "8080", "--header", "X-Probe: paas", "-H", "Host:demo.local",
            "--initial-delay-timeout", "10", "--timeout-seconds", "3", "--period-seconds", "15", "--success-threshold", "1", "--failure-threshold", "5",
        },
        """{"healthcheck":{"web/cmd":{"livenessProbe":{"initialDelaySeconds":10,"timeoutSeconds":3,"periodSeconds":15,"successThreshold":1,"failureThreshold":5,"httpGet":{"path":"/up","port":8080,"httpHeaders":[{"name":"X-Probe","value":"paas"},{"name":"Host","value":"demo.local"}]}}}}}""")]
    [InlineData(
        new[] { "healthchecks:set", "liveness", "tcpSocket", "6000", "--type", "worker" },
        """{"healthcheck":{"worker":{"livenessProbe":{"initialDelaySeconds":0,"timeoutSeconds":1,"periodSeconds":2,"successThreshold":1,"failureThreshold":3,"tcpSocket":{"port":6000}}}}}""")]
    [InlineData(
        new[] { "healthchecks:set", "readiness", "exec", "--", "pg_isready", "-h", "localhost" },
        """{"healthcheck":{"web/cmd":{"readinessProbe":{"initialDelaySeconds":0,"timeoutSeconds":1,"periodSeconds":2,"successThreshold":1,"failureThreshold":3,"exec":{"command":["pg_isready","-h","localhost"]}}}}}""")]
    [InlineData(
        new[] { "healthchecks:unset", "liveness", "readiness" },
        """{"healthcheck":{"web/cmd":{"livenessProbe":null,"readinessProbe":null}}}""")]
    public async Task Healthchecks_set_and_unset_post_the_probe(string[] args, string body)
    {
        Controller.On("POST", ConfigPath, 201, Config(release: 6));

        var result = await Machine.RunAsync([args[0], "-a", "demo", .. args[1..]]); // -a before any "--"

        Succeeded(result);
        Assert.Equal(body, Compact(BodyOf("POST", ConfigPath)));
        Assert.Contains(" of demo... done, v6\n\n=== demo Healthchecks\n", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "healthchecks:set", "startup", "httpGet", "/" }, "Error: \"startup\" is not a kind of health check: use liveness or readiness\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "grpc", "5000" }, "Error: \"grpc\" is not a kind of check: use httpGet, tcpSocket or exec\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "httpGet", "health" }, "Error: httpGet takes the path to request, starting with / (e.g. httpGet /health --port 5000)\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "tcpSocket", "http" }, "Error: tcpSocket takes the port to connect to (e.g. tcpSocket 5000)\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "tcpSocket", "70000" }, "Error: \"70000\" is not a port (1 to 65535)\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "exec" }, "Error: exec takes the command to run (e.g. exec -- pg_isready -h localhost)\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "exec", "true", "--port", "1" }, "Error: --port and --header apply to httpGet checks only\n")]
    [InlineData(new[] { "healthchecks:set", "liveness", "httpGet", "/", "--header", "NoColon" }, "Error: \"NoColon\" is not a header; expected 'Name: value'\n")]
    public async Task Healthchecks_refuse_bad_arguments_locally(string[] args, string error)
    {
        var result = await Machine.RunAsync([.. args, "-a", "demo"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Tags_list_set_and_unset()
    {
        Controller.On("POST", ConfigPath, 201, Config(release: 7));

        var list = await Machine.RunAsync("tags", "-a", "demo");
        var set = await Machine.RunAsync("tags:set", "environ=prod", "disk=ssd", "-a", "demo");
        var setBody = Compact(BodyOf("POST", ConfigPath));
        var json = await Machine.RunAsync("tags:list", "--json", "-a", "demo");

        Succeeded(list);
        Assert.Equal("=== demo Tags\nenviron  prod\n", list.Stdout);
        Succeeded(set);
        Assert.Equal("""{"tags":{"environ":"prod","disk":"ssd"}}""", setBody);
        Assert.StartsWith("Applying tags and restarting demo... done, v7\n", set.Stdout, StringComparison.Ordinal);
        using var tags = JsonDocument.Parse(json.Stdout);
        Assert.Equal("prod", tags.RootElement.GetProperty("environ").GetString());
    }

    [Fact]
    public async Task Tags_unset_posts_nulls()
    {
        Controller.On("POST", ConfigPath, 201, Config(release: 8));

        var result = await Machine.RunAsync("tags:unset", "environ", "-a", "demo");

        Succeeded(result);
        Assert.Equal("""{"tags":{"environ":null}}""", Compact(BodyOf("POST", ConfigPath)));
    }
}
