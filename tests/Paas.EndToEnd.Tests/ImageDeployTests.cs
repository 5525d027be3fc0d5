using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>`paas builds:create IMAGE` deploys an image built elsewhere; `paas registry:*` keeps the login for private ones.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ImageDeployTests(EndToEndPlatform platform)
{
    private Task<CommandResult> DockerAsync(string cwd, params string[] args) =>
        Processes.RunAsync("docker", args, cwd, new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost }, TimeSpan.FromMinutes(3));

    [Fact]
    public async Task An_image_from_the_registry_is_deployed_with_a_Procfile_and_served()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("prebuilt");
        var image = $"{platform.Registry}/elsewhere-{app}:1.0";
        var context = await alice.RepositoryAsync("image-" + app,
            ("Dockerfile", "FROM paas/busybox\nCOPY index.html /www/index.html\n"),
            ("index.html", "built elsewhere\n"),
            ("Procfile", "web: exec httpd -f -p $PORT -h /www\n"));
        (await DockerAsync(context, "build", "-q", "-t", image, ".")).ShouldSucceed("docker build");
        (await DockerAsync(context, "push", image)).ShouldSucceed("docker push");
        // Gone from the engine: the deploy has to pull it from the registry.
        (await DockerAsync(context, "rmi", image)).ShouldSucceed("docker rmi");
        (await alice.Paas("apps:create", app, "--no-remote")).ShouldSucceed("apps:create");

        var created = await alice.PaasIn(context, "builds:create", image, "--procfile-file", "Procfile", "-a", app);

        created.ShouldSucceed("builds:create");
        await platform.WaitForBodyAsync(app, "built elsewhere");
        var build = (await alice.BuildsAsync(app))[0];
        Assert.Equal("image", build.GetProperty("kind").GetString());
        Assert.Equal(image, build.GetProperty("image").GetString());
        Assert.Equal("exec httpd -f -p $PORT -h /www", build.GetProperty("procfile").GetProperty("web").GetString());
        var releases = await alice.Paas("releases", "-a", app);
        Assert.Contains($"{alice.Username} deployed {image}", releases.Stdout);
    }

    [Fact]
    public async Task Registry_credentials_are_kept_per_app_with_the_password_masked_and_can_be_unset()
    {
        var alice = await platform.RegisterAsync(PlatformFixture.NewAppName("alice"));
        var app = PlatformFixture.NewAppName("private");
        (await alice.Paas("apps:create", app, "--no-remote")).ShouldSucceed("apps:create");

        (await alice.Paas("registry:set", "username=deploy-bot", "password=t0p-secret", "-a", app)).ShouldSucceed("registry:set");
        var listed = await alice.Paas("registry:list", "-a", app);

        listed.ShouldSucceed("registry:list");
        Assert.Contains($"=== {app} Registry", listed.Stdout);
        Assert.Matches(@"username\s+deploy-bot", listed.Stdout);
        Assert.DoesNotContain("t0p-secret", listed.Stdout);
        (await alice.Paas("registry:unset", "username", "password", "-a", app)).ShouldSucceed("registry:unset");
        Assert.Contains("No registry information set", (await alice.Paas("registry", "-a", app)).Stdout);

        // A pull the registry refuses fails the release, with the registry's reason.
        var missing = await alice.Paas("builds:create", $"{platform.Registry}/no-such-image:1", "-a", app);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no-such-image", missing.Output);
    }
}
