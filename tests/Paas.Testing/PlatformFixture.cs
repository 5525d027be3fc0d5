using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Paas.Testing;

/// <summary>
/// A whole Paas platform for a test collection: PostgreSQL, RabbitMQ, dockerd, registry, controller,
/// builder and router, started by scripts/platform (as scripts/up does) on free ports in a temporary
/// directory, and stopped and removed afterwards. The first user registered, "admin", is an administrator.
/// </summary>
public class PlatformFixture : IAsyncLifetime
{
    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "paas-test-" + Guid.NewGuid().ToString("N")[..10]);
    public IReadOnlyDictionary<string, string> Env { get; private set; } = new Dictionary<string, string>();

    public string ControllerUrl => Env["PAAS_CONTROLLER_URL"];
    public string BuilderUrl => Env["PAAS_BUILDER_URL"];
    public int RouterPort => int.Parse(Env["PAAS_ROUTER_PORT"], System.Globalization.CultureInfo.InvariantCulture);
    public int RouterTlsPort => int.Parse(Env["PAAS_ROUTER_TLS_PORT"], System.Globalization.CultureInfo.InvariantCulture);
    public string Domain => Env["PAAS_DOMAIN"];
    public string DockerHost => Env["DOCKER_HOST"];
    public string Registry => Env["PAAS_REGISTRY"];
    public int SshPort => int.Parse(Env["PAAS_SSH_PORT"], System.Globalization.CultureInfo.InvariantCulture);

    private Dictionary<string, string?> startEnvironment = [];

    /// <summary>The administrator, registered first.</summary>
    public User Admin { get; private set; } = null!;

    /// <summary>Extra settings for this platform (e.g. PAAS_REGISTRATION_MODE), set by derived fixtures.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Whether "admin" is registered with the paas CLI at start; a derived fixture may leave it to its tests.</summary>
    protected virtual bool RegisterAdminOnStart => true;

    /// <summary>Why this platform cannot run on this machine (e.g. no Kubernetes cluster); null when it runs. Tests skip with it.</summary>
    public string? SkipReason { get; protected set; }

    /// <summary>What a derived fixture needs before the platform starts (a cluster); it sets <see cref="SkipReason"/> when that is missing.</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    public virtual async Task InitializeAsync()
    {
        await PrepareAsync();
        if (SkipReason is not null) return;
        Directory.CreateDirectory(StateDirectory);
        var environment = new Dictionary<string, string?>
        {
            ["PAAS_CONFIGURATION"] = RepoPaths.Configuration,
            ["PAAS_CONTROLLER_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_BUILDER_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_ROUTER_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_ROUTER_TLS_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_PG_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_RABBITMQ_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_REGISTRY_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PAAS_SSH_PORT"] = Processes.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SVC_QUIET"] = "1",
        };
        foreach (var (key, value) in Settings) environment[key] = value;
        startEnvironment = environment;
        var started = await Processes.RunAsync(RepoPaths.Script("platform"), ["start", StateDirectory], RepoPaths.Root, environment, TimeSpan.FromMinutes(10));
        if (started.ExitCode != 0)
        {
            var logs = string.Join("\n", Directory.EnumerateFiles(Path.Combine(StateDirectory, "logs")).Select(f => $"--- {f}\n{Tail(f)}"));
            await StopAsync();
            throw new InvalidOperationException($"scripts/platform start failed:\n{started}\n{logs}");
        }
        Env = File.ReadAllLines(Path.Combine(StateDirectory, "env"))
            .Select(line => line.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts[1]);
        if (RegisterAdminOnStart) Admin = await RegisterAsync("admin");
    }

    public virtual async Task DisposeAsync()
    {
        if (SkipReason is not null) return;
        await StopAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a process still writing a log; the directory is under /tmp
        }
    }

    /// <summary>Stops the controller and starts it again (scripts/platform start restarts what is not running).</summary>
    public async Task RestartControllerAsync()
    {
        var pid = int.Parse(File.ReadAllText(Path.Combine(StateDirectory, "run", "controller.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        using (var process = System.Diagnostics.Process.GetProcessById(pid))
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        var started = await Processes.RunAsync(RepoPaths.Script("platform"), ["start", StateDirectory], RepoPaths.Root, startEnvironment, TimeSpan.FromMinutes(3));
        started.ShouldSucceed("scripts/platform start");
    }

    private async Task StopAsync() =>
        await Processes.RunAsync(RepoPaths.Script("platform"), ["stop", StateDirectory], RepoPaths.Root, timeout: TimeSpan.FromMinutes(3));

    private static string Tail(string file) => string.Join("\n", File.ReadLines(file).TakeLast(30));

    /// <summary>Registers a user through the API and logs them in with the paas CLI in a home of their own.</summary>
    public async Task<User> RegisterAsync(string username, string password = "s3cret-pass")
    {
        var user = new User(this, username, password);
        var result = await user.Paas("auth:register", ControllerUrl, "--username", username, "--password", password, "--email", $"{username}@example.com");
        result.ShouldSucceed($"paas auth:register {username}");
        return user;
    }

    /// <summary>Runs SQL against the platform's database (psql, tuples only), for checks no API shows.</summary>
    public async Task<string> PsqlAsync(string sql)
    {
        var port = System.Text.RegularExpressions.Regex.Match(Env["PAAS_DATABASE"], @"Port=(\d+)").Groups[1].Value;
        var result = await Processes.RunAsync("psql", ["-h", "127.0.0.1", "-p", port, "-U", "paas", "-d", "paas", "-tAc", sql]);
        return result.ShouldSucceed("psql").Stdout;
    }

    /// <summary>
    /// Registers a user straight through the API (faster than the CLI, for API tests) and writes the
    /// profile the CLI would, so the user can still run paas commands.
    /// </summary>
    public async Task<User> RegisterThroughApiAsync(string username, string password = "s3cret-pass")
    {
        using var http = new HttpClient { BaseAddress = new Uri(ControllerUrl) };
        var body = JsonSerializer.Serialize(new { username, password, email = $"{username}@example.com" });
        using var registered = await http.PostAsync("/v2/auth/register/", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        if (!registered.IsSuccessStatusCode) throw new InvalidOperationException($"register {username}: {await registered.Content.ReadAsStringAsync()}");
        using var login = await http.PostAsync("/v2/auth/login/",
            new StringContent(JsonSerializer.Serialize(new { username, password }), System.Text.Encoding.UTF8, "application/json"));
        var token = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("token").GetString();
        var user = new User(this, username, password);
        Directory.CreateDirectory(Path.Combine(user.Home, ".paas"));
        await File.WriteAllTextAsync(Path.Combine(user.Home, ".paas", "client.json"),
            JsonSerializer.Serialize(new { controller = ControllerUrl, username, token }));
        return user;
    }

    /// <summary>A unique app name for a test.</summary>
    public static string NewAppName(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Requests an app's page through the router, as curl http://&lt;app&gt;.&lt;domain&gt;:port/ would.</summary>
    public async Task<HttpResponseMessage> GetThroughRouterAsync(string app, string path = "/")
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{RouterPort}{path}");
        request.Headers.Host = $"{app}.{Domain}:{RouterPort}";
        return await http.SendAsync(request);
    }

    /// <summary>The body the router serves for the app, or a description of the failure.</summary>
    public async Task<string> BodyThroughRouterAsync(string app, string path = "/")
    {
        using var response = await GetThroughRouterAsync(app, path);
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode ? body : $"HTTP {(int)response.StatusCode}: {body}";
    }

    /// <summary>Polls until the router serves the expected text for the app (routes change within a second or so).</summary>
    public async Task<string> WaitForBodyAsync(string app, string expected, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        string last;
        do
        {
            last = await BodyThroughRouterAsync(app);
            if (last.Contains(expected, StringComparison.Ordinal)) return last;
            await Task.Delay(200);
        } while (DateTimeOffset.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"The router did not serve '{expected}' for {app}; last answer: {last}");
    }
}
