using System.Net;
using System.Text.RegularExpressions;
using Paas.Deis.Tests.Support;
using Paas.Testing;

namespace Paas.Deis.Tests;

/// <summary>
/// A Deis user's whole app journey with the deis CLI, unchanged, against Paas: each step asserts what the
/// CLI prints and exits with, and what the app's visitors get through the router where the step changes it.
/// </summary>
[Collection(DeisCollection.Name)]
public sealed partial class AppJourneyTests(DeisPlatform platform)
{
    [GeneratedRegex(@"\S+-web-[\w-]+ up \(v\d+\)")]
    private static partial Regex UpWebProcess();

    private string Host(string app) => $"{app}.{platform.Domain}";

    [SkippableFact]
    public async Task An_app_from_create_to_destroy()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var owner = await platform.RegisteredByAdminAsync("frank");
        var app = PlatformFixture.NewAppName("journey");

        var created = (await owner.Deis("apps:create", app, "--no-remote")).ShouldSucceed("deis apps:create");
        Assert.Contains($"created {app}", created.Stdout, StringComparison.Ordinal);
        Assert.Contains(app, (await owner.Deis("apps:list")).Stdout, StringComparison.Ordinal);

        // An image built elsewhere, with its process types.
        var v1 = await TestImages.PushAsync(platform, app, "v1");
        var built = await owner.Deis("builds:create", v1, "-a", app, "--procfile", TestImages.Procfile);
        built.ShouldSucceed("deis builds:create");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");
        Assert.Contains(v1, (await owner.Deis("builds", "-a", app)).Stdout + (await owner.Deis("releases", "-a", app)).Stdout, StringComparison.Ordinal);

        // Config reaches the processes.
        var set = (await owner.Deis("config:set", "GREETING=hello there", "EXTRA=x=y", "-a", app)).ShouldSucceed("deis config:set");
        Assert.Contains("GREETING", set.Stdout, StringComparison.Ordinal);
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "greeting=hello there", "/greeting.txt");
        (await owner.Deis("config:unset", "EXTRA", "-a", app)).ShouldSucceed("deis config:unset");
        var config = (await owner.Deis("config:list", "-a", app)).ShouldSucceed("deis config:list").Stdout;
        Assert.Contains("hello there", config, StringComparison.Ordinal);
        Assert.DoesNotContain("EXTRA", config, StringComparison.Ordinal);

        // Processes.
        var scaled = (await owner.Deis("ps:scale", "web=2", "worker=1", "-a", app)).ShouldSucceed("deis ps:scale");
        Assert.True(UpWebProcess().Count(scaled.Stdout) >= 2, scaled.Stdout);
        // The previous release's processes drain for a few seconds after a change; then two web are left.
        var ps = await EventuallyAsync(async () => (await owner.Deis("ps:list", "-a", app)).ShouldSucceed("deis ps:list").Stdout,
            listed => UpWebProcess().Count(listed) == 2);
        Assert.Equal(2, UpWebProcess().Count(ps));
        Assert.Matches($@"{app}-worker-[\w-]+ up \(v\d+\)", ps);
        var workerBefore = Regex.Match(ps, $@"{app}-worker-[\w-]+").Value;
        var restarted = (await owner.Deis("ps:restart", "worker", "-a", app)).ShouldSucceed("deis ps:restart worker");
        var workerAfter = Regex.Match(restarted.Stdout, $@"({app}-worker-[\w-]+) up \(v\d+\)").Groups[1].Value;
        Assert.NotEmpty(workerAfter);
        Assert.NotEqual(workerBefore, workerAfter);

        // One-off processes: the exit code is the CLI's.
        var zero = await owner.Deis("run", "echo \"$GREETING\"", "-a", app);
        Assert.Equal(0, zero.ExitCode);
        Assert.Contains("hello there", zero.Stdout, StringComparison.Ordinal);
        var three = await owner.Deis("run", "echo to-stderr; exit 3", "-a", app);
        Assert.Equal(3, three.ExitCode);
        Assert.Contains("to-stderr", three.Stderr, StringComparison.Ordinal);

        // Limits and health checks make releases and keep serving.
        (await owner.Deis("limits:set", "web=96M", "-a", app)).ShouldSucceed("deis limits:set");
        (await owner.Deis("limits:set", "--cpu", "web=250m", "-a", app)).ShouldSucceed("deis limits:set --cpu");
        var limits = (await owner.Deis("limits", "-a", app)).ShouldSucceed("deis limits").Stdout;
        Assert.Contains("96M", limits, StringComparison.Ordinal);
        Assert.Contains("250m", limits, StringComparison.Ordinal);
        (await owner.Deis("limits:unset", "web", "-a", app)).ShouldSucceed("deis limits:unset");
        Assert.DoesNotContain("96M", (await owner.Deis("limits", "-a", app)).Stdout, StringComparison.Ordinal);
        (await owner.Deis("healthchecks:set", "readiness", "httpGet", "5000", "--path=/", "--type=web",
            "--initial-delay-timeout=1", "--timeout-seconds=2", "--period-seconds=1", "-a", app)).ShouldSucceed("deis healthchecks:set");
        var checks = (await owner.Deis("healthchecks", "-a", app)).ShouldSucceed("deis healthchecks").Stdout;
        Assert.Contains("HTTP GET Probe: Path=\"/\" Port=5000", checks, StringComparison.Ordinal);
        (await owner.Deis("healthchecks:unset", "readiness", "--type=web", "-a", app)).ShouldSucceed("deis healthchecks:unset");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");

        // A second build, then a rollback to the first.
        var v2 = await TestImages.PushAsync(platform, app, "v2");
        (await owner.Deis("builds:create", v2, "-a", app, "--procfile", TestImages.Procfile)).ShouldSucceed("deis builds:create v2");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v2");
        var releases = (await owner.Deis("releases", "-a", app)).ShouldSucceed("deis releases").Stdout;
        var v1Release = Regex.Match(releases, $@"(v\d+)\s+\S+\s+frank deployed {Regex.Escape(v1)}").Groups[1].Value;
        Assert.NotEmpty(v1Release);
        var info = (await owner.Deis("releases:info", v1Release, "-a", app)).ShouldSucceed("deis releases:info").Stdout;
        Assert.Contains($"frank deployed {v1}", info, StringComparison.Ordinal);
        (await owner.Deis("releases:rollback", v1Release, "-a", app)).ShouldSucceed("deis releases:rollback");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");
        Assert.Contains($"frank rolled back to {v1Release}", (await owner.Deis("releases", "-a", app)).Stdout, StringComparison.Ordinal);

        // Custom domains, with a certificate served by SNI.
        var domain = $"www.{app}.example.test";
        (await owner.Deis("domains:add", domain, "-a", app)).ShouldSucceed("deis domains:add");
        Assert.Contains(domain, (await owner.Deis("domains:list", "-a", app)).Stdout, StringComparison.Ordinal);
        await Web.WaitForAsync(platform, domain, HttpStatusCode.OK, "page v1");
        var (cert, key) = await SelfSignedAsync(owner.Home, domain);
        (await owner.Deis("certs:add", "www-cert", cert, key)).ShouldSucceed("deis certs:add");
        (await owner.Deis("certs:attach", "www-cert", domain)).ShouldSucceed("deis certs:attach");
        var certs = (await owner.Deis("certs:list")).ShouldSucceed("deis certs:list").Stdout;
        Assert.Contains("www-cert", certs, StringComparison.Ordinal);
        Assert.Contains(domain, certs, StringComparison.Ordinal);
        var served = await EventuallyAsync(async () => await Web.GetTlsAsync(platform, domain), r => r.Certificate?.Subject == $"CN={domain}");
        Assert.Contains("page v1", served.Body, StringComparison.Ordinal);
        (await owner.Deis("certs:detach", "www-cert", domain)).ShouldSucceed("deis certs:detach");
        (await owner.Deis("certs:remove", "www-cert")).ShouldSucceed("deis certs:remove");
        Assert.DoesNotContain("www-cert", (await owner.Deis("certs:list")).Stdout, StringComparison.Ordinal);
        (await owner.Deis("domains:remove", domain, "-a", app)).ShouldSucceed("deis domains:remove");
        await Web.WaitForAsync(platform, domain, HttpStatusCode.NotFound);

        // What the router does for the app.
        (await owner.Deis("maintenance:on", "-a", app)).ShouldSucceed("deis maintenance:on");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.ServiceUnavailable);
        (await owner.Deis("maintenance:off", "-a", app)).ShouldSucceed("deis maintenance:off");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");
        (await owner.Deis("whitelist:add", "10.99.0.0/16", "-a", app)).ShouldSucceed("deis whitelist:add");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.Forbidden);
        Assert.Contains("10.99.0.0/16", (await owner.Deis("whitelist", "-a", app)).Stdout, StringComparison.Ordinal);
        (await owner.Deis("whitelist:remove", "10.99.0.0/16", "-a", app)).ShouldSucceed("deis whitelist:remove");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");
        (await owner.Deis("routing:disable", "-a", app)).ShouldSucceed("deis routing:disable");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.NotFound);
        (await owner.Deis("routing:enable", "-a", app)).ShouldSucceed("deis routing:enable");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.OK, "page v1");

        // The app's log carries the platform's own events, labelled by source.
        var logs = (await owner.Deis("logs", "-a", app)).ShouldSucceed("deis logs").Stdout;
        Assert.Matches($@"{app}\[controller\]: frank added .*GREETING", logs);
        Assert.Contains($"{app}[controller]: frank scaled web=2", logs, StringComparison.Ordinal);
        Assert.Contains($"{app}[controller]: frank added domain {domain}", logs, StringComparison.Ordinal);

        // People.
        var grace = await platform.RegisteredByAdminAsync("grace");
        Assert.Equal(1, (await grace.Deis("info", "-a", app)).ExitCode);
        (await owner.Deis("perms:create", "grace", "-a", app)).ShouldSucceed("deis perms:create");
        Assert.Contains("grace", (await owner.Deis("perms:list", "-a", app)).Stdout, StringComparison.Ordinal);
        (await grace.Deis("config:set", "FROM_GRACE=1", "-a", app)).ShouldSucceed("a collaborator's deis config:set");
        (await owner.Deis("perms:delete", "grace", "-a", app)).ShouldSucceed("deis perms:delete");
        Assert.Equal(1, (await grace.Deis("config:set", "FROM_GRACE=2", "-a", app)).ExitCode);
        (await owner.Deis("apps:transfer", "grace", "-a", app)).ShouldSucceed("deis apps:transfer");
        Assert.Contains(app, (await grace.Deis("apps:list")).Stdout, StringComparison.Ordinal);

        var destroyed = await grace.Deis("apps:destroy", "--app", app, "--confirm", app);
        destroyed.ShouldSucceed("deis apps:destroy");
        await Web.WaitForAsync(platform, Host(app), HttpStatusCode.NotFound);
        var unknown = await grace.Deis("info", "-a", app);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Error: \"No App matches the given query.\"", unknown.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Mistakes_get_the_messages_the_cli_knows()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var user = await platform.RegisteredByAdminAsync("heidi");
        var app = PlatformFixture.NewAppName("mistakes");
        (await user.Deis("apps:create", app, "--no-remote")).ShouldSucceed("deis apps:create");

        var duplicate = await user.Deis("apps:create", app, "--no-remote");
        Assert.Equal(1, duplicate.ExitCode);
        Assert.Contains("Error: Application with this id already exists.", duplicate.Stderr, StringComparison.Ordinal);

        var badName = await user.Deis("apps:create", "Not_A_Name", "--no-remote");
        Assert.Equal(1, badName.ExitCode);
        Assert.Contains("App name can only contain a-z (lowercase), 0-9 and hyphens", badName.Stderr, StringComparison.Ordinal);

        var unknown = await user.Deis("config:list", "-a", "no-such-app-here");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("Error: \"No App matches the given query.\"", unknown.Stderr, StringComparison.Ordinal);

        var badDomain = await user.Deis("domains:add", "not a domain", "-a", app);
        Assert.Equal(1, badDomain.ExitCode);
        Assert.Contains("Hostname does not look valid.", badDomain.Stderr, StringComparison.Ordinal);

        var noLogs = await user.Deis("ps:restart", "nosuchtype", "-a", app);
        Assert.Equal(1, noLogs.ExitCode);

        var badScale = await user.Deis("ps:scale", "web=-1", "-a", app);
        Assert.Equal(1, badScale.ExitCode);
    }

    private static async Task<(string Cert, string Key)> SelfSignedAsync(string directory, string domain)
    {
        var cert = Path.Combine(directory, "cert.pem");
        var key = Path.Combine(directory, "key.pem");
        (await Processes.RunAsync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
            "-days", "30", "-subj", $"/CN={domain}"])).ShouldSucceed("openssl req");
        return (cert, key);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> attempt, Func<T, bool> done, TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            try
            {
                var value = await attempt();
                if (done(value) || DateTimeOffset.UtcNow > deadline) return value;
            }
            catch (HttpRequestException) when (DateTimeOffset.UtcNow < deadline)
            {
                // the router has not loaded the certificate yet
            }
            await Task.Delay(300);
        }
    }
}
