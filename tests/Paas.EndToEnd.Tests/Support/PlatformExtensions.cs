using System.Net;
using System.Text.Json;
using Paas.Testing;

namespace Paas.EndToEnd.Tests.Support;

/// <summary>What the end-to-end tests do again and again against the platform.</summary>
public static class PlatformExtensions
{
    /// <summary>A deployed app and the repository it was pushed from.</summary>
    public sealed record DeployedApp(User Owner, string Name, string Repo);

    /// <summary>
    /// A new user's new <see cref="SampleApp"/>, created with <c>paas apps:create</c> and pushed (release v2),
    /// serving <paramref name="text"/> through the router.
    /// </summary>
    public static async Task<DeployedApp> DeploySampleAppAsync(this PlatformFixture platform, string prefix, string text,
        bool withWorker = false, User? owner = null)
    {
        owner ??= await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName(prefix);
        var repo = await SampleApp.NewRepositoryAsync(owner, app, text, withWorker);
        (await owner.PaasIn(repo, "apps:create", app)).ShouldSucceed("paas apps:create");
        (await owner.Git(repo, "push", "paas", "main")).ShouldSucceed("git push");
        await platform.WaitForBodyAsync(app, text, TimeSpan.FromSeconds(20));
        return new DeployedApp(owner, app, repo);
    }

    /// <summary>The router's answer for a request to <paramref name="host"/> (a custom domain or &lt;app&gt;.&lt;domain&gt;).</summary>
    public static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(
        this PlatformFixture platform, string host, string path = "/")
    {
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{platform.RouterPort}{path}");
        request.Headers.Host = $"{host}:{platform.RouterPort}";
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public static string Host(this PlatformFixture platform, string app) => $"{app}.{platform.Domain}";

    /// <summary>The value of <paramref name="name"/> in the environment of the app's web process, as served by the router.</summary>
    public static async Task<string> EnvThroughRouterAsync(this PlatformFixture platform, string app, string name)
    {
        var (status, body, response) = await platform.GetAsync(platform.Host(app), $"/cgi-bin/env?{name}");
        response.Dispose();
        return status == HttpStatusCode.OK ? body : $"HTTP {(int)status}: {body}";
    }

    /// <summary>
    /// Polls until <paramref name="read"/> gives what <paramref name="done"/> accepts (routes change within a second
    /// or so after a deploy), and returns it; fails with the last answer.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        T last;
        do
        {
            last = await read();
            if (done(last)) return last;
            await Task.Delay(200);
        } while (DateTimeOffset.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"Not within {(within ?? TimeSpan.FromSeconds(15)).TotalSeconds} s: {what}; last: {last}");
    }

    /// <summary>Waits until the app's web process sees <paramref name="name"/>=<paramref name="value"/>.</summary>
    public static Task<string> WaitForEnvAsync(this PlatformFixture platform, string app, string name, string value) =>
        EventuallyAsync(() => platform.EnvThroughRouterAsync(app, name), body => body == value, $"{app} serving {name}={value}");

    /// <summary>Waits until the router answers <paramref name="status"/> for <paramref name="host"/>; returns the body.</summary>
    public static async Task<string> WaitForStatusAsync(this PlatformFixture platform, string host, HttpStatusCode status, string path = "/")
    {
        var (_, body) = await EventuallyAsync(async () =>
        {
            var (code, text, response) = await platform.GetAsync(host, path);
            response.Dispose();
            return (code, text);
        }, answer => answer.code == status, $"the router answering {(int)status} for {host}{path}");
        return body;
    }

    /// <summary>`docker ARGS` against the platform's engine.</summary>
    public static Task<CommandResult> Docker(this PlatformFixture platform, params string[] args) =>
        Processes.RunAsync("docker", args, environment: new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost });

    /// <summary>The running containers of an app's process type in one release: (name, docker inspect of it).</summary>
    public static async Task<List<JsonElement>> ContainersAsync(this PlatformFixture platform, string app, string type, int version)
    {
        var ids = (await platform.Docker("ps", "-q", "--filter", $"label=paas.app={app}", "--filter", $"label=paas.type={type}",
            "--filter", $"label=paas.release={version}")).ShouldSucceed("docker ps").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (ids.Length == 0) return [];
        var inspect = (await platform.Docker(["inspect", .. ids])).ShouldSucceed("docker inspect").Stdout;
        return [.. JsonDocument.Parse(inspect).RootElement.EnumerateArray()];
    }

    /// <summary>Runs `paas ARGS` and expects it to succeed; returns its standard output.</summary>
    public static async Task<string> Ok(this User user, string cwd, params string[] args) =>
        (await user.PaasIn(cwd, args)).ShouldSucceed("paas " + string.Join(' ', args)).Stdout;

    /// <summary>Runs `paas ARGS` and expects it to fail with exit code 1; returns its standard error.</summary>
    public static async Task<string> Fails(this User user, string cwd, params string[] args)
    {
        var result = await user.PaasIn(cwd, args);
        if (result.ExitCode != 1) throw new Xunit.Sdk.XunitException($"paas {string.Join(' ', args)} should have failed with exit code 1: {result}");
        return result.Stderr;
    }

    /// <summary>The lines of a `paas --json` listing, parsed: it must be JSON.</summary>
    public static async Task<JsonElement> JsonAsync(this User user, string cwd, params string[] args)
    {
        var stdout = await user.Ok(cwd, [.. args, "--json"]);
        try
        {
            return JsonDocument.Parse(stdout).RootElement;
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"paas {string.Join(' ', args)} --json printed no JSON ({e.Message}):\n{stdout}");
        }
    }
}
