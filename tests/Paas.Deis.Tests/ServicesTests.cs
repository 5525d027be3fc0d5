using System.Net;
using Paas.Deis.Tests.Support;
using Paas.Testing;

namespace Paas.Deis.Tests;

/// <summary>
/// Deis's services with the deis CLI: some paths of an app's domains served by another process type than web
/// (here webhooks), through the real router, and given back to web when the service goes.
/// </summary>
[Collection(DeisCollection.Name)]
public sealed class ServicesTests(DeisPlatform platform)
{
    /// <summary>web serves the image's page; webhooks serves its own answer under /webhooks/ on the same $PORT.</summary>
    private const string Procfile =
        "web: sh -c 'exec httpd -f -p $PORT -h /www'\n" +
        "webhooks: sh -c 'mkdir -p /hooks/webhooks && echo from the webhooks process > /hooks/webhooks/index.html; exec httpd -f -p $PORT -h /hooks'\n";

    [SkippableFact]
    public async Task A_service_takes_its_paths_from_web_until_it_is_removed()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var owner = await platform.RegisteredByAdminAsync("hooks");
        var app = PlatformFixture.NewAppName("services");
        var host = $"{app}.{platform.Domain}";
        (await owner.Deis("apps:create", app, "--no-remote")).ShouldSucceed("deis apps:create");
        var image = await TestImages.PushAsync(platform, app, "v1");
        (await owner.Deis("builds:create", image, "-a", app, "--procfile", Procfile)).ShouldSucceed("deis builds:create");
        (await owner.Deis("ps:scale", "webhooks=1", "-a", app)).ShouldSucceed("deis ps:scale webhooks=1");
        await Web.WaitForAsync(platform, host, HttpStatusCode.OK, "page v1");
        await Web.WaitForAsync(platform, host, HttpStatusCode.NotFound, path: "/webhooks/"); // web has no such page

        var none = (await owner.Deis("services", "-a", app)).ShouldSucceed("deis services");
        Assert.DoesNotContain("webhooks", none.Stdout, StringComparison.Ordinal);

        var added = await owner.Deis("services:add", "--type", "webhooks", "--route", "/webhooks,~ ^/users/[0-9]+/notify$", "-a", app);
        added.ShouldSucceed("deis services:add");
        await Web.WaitForAsync(platform, host, HttpStatusCode.OK, "from the webhooks process", "/webhooks/");
        Assert.Contains("page v1", await Web.WaitForAsync(platform, host, HttpStatusCode.OK, "page v1", "/"), StringComparison.Ordinal);
        var listed = (await owner.Deis("services:list", "-a", app)).ShouldSucceed("deis services:list").Stdout;
        Assert.Contains("webhooks", listed, StringComparison.Ordinal);
        Assert.Contains("/webhooks,~ ^/users/[0-9]+/notify$", listed, StringComparison.Ordinal);

        // A second service for the same type, and a pattern that is no path, are refused with the reason.
        var twice = await owner.Deis("services:add", "--type", "webhooks", "--route", "/more", "-a", app);
        Assert.NotEqual(0, twice.ExitCode);
        Assert.Contains("webhooks already has a service", twice.Stdout + twice.Stderr, StringComparison.Ordinal);
        var bad = await owner.Deis("services:add", "--type", "admin", "--route", "admin", "-a", app);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("'admin' is not a path pattern", bad.Stdout + bad.Stderr, StringComparison.Ordinal);

        // Scaled to zero, the service's paths say so; web is untouched.
        (await owner.Deis("ps:scale", "webhooks=0", "-a", app)).ShouldSucceed("deis ps:scale webhooks=0");
        var down = await Web.WaitForAsync(platform, host, HttpStatusCode.ServiceUnavailable, path: "/webhooks/");
        Assert.Contains($"{app} has no webhooks processes running", down, StringComparison.Ordinal);
        await Web.WaitForAsync(platform, host, HttpStatusCode.OK, "page v1");

        (await owner.Deis("services:remove", "webhooks", "-a", app)).ShouldSucceed("deis services:remove");
        await Web.WaitForAsync(platform, host, HttpStatusCode.NotFound, path: "/webhooks/");
        Assert.DoesNotContain("webhooks", (await owner.Deis("services", "-a", app)).ShouldSucceed("deis services").Stdout, StringComparison.Ordinal);
        (await owner.Deis("apps:destroy", "--app", app, "--confirm", app)).ShouldSucceed("deis apps:destroy");
    }
}
