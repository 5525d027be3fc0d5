using System.Text.Json;
using System.Text.RegularExpressions;
using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>Builds (from pushes, and images deployed as they are) and the app's activity, through the CLI.</summary>
[Collection(CommandsCollection.Name)]
public sealed class BuildsAndActivityTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task An_image_already_in_the_registry_deploys_to_another_app_with_builds_create()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("source", "built once", withWorker: true);
        var sha = (await alice.Git(repo, "rev-parse", "HEAD")).Stdout.Trim();

        var builds = await alice.Ok(repo, "builds");
        Assert.Matches($@"^=== {app} Builds\nuuid\s+created\s+kind\s+status\s+sha/image\n[0-9a-f-]{{36}}\s+\S+Z\s+dockerfile\s+succeeded\s+{sha}\n$", builds);
        var build = (await alice.JsonAsync(repo, "builds:list"))[0];
        var image = build.GetProperty("image").GetString()!;
        Assert.StartsWith($"{platform.Registry}/{app}:", image);
        Assert.Equal("dockerfile", build.GetProperty("kind").GetString());
        // The controller's own answer keeps Deis's types: the deis SDK decodes "dockerfile" as a string.
        using (var api = alice.Api())
        {
            var raw = JsonDocument.Parse(await api.GetStringAsync($"/v2/apps/{app}/builds/")).RootElement.GetProperty("results")[0];
            Assert.Equal("Dockerfile", raw.GetProperty("dockerfile").GetString());
        }
        var info = await alice.Ok(repo, "builds:info", build.GetProperty("uuid").GetString()!);
        Assert.Contains($"\n--- Procfile\nweb: {SampleApp.Procfile.Split('\n')[0]["web: ".Length..]}\n", info);

        // The same image, as another app: no Procfile given, so web runs the image's CMD.
        var copy = PlatformFixture.NewAppName("copy");
        await alice.Ok(alice.Home, "apps:create", copy, "--no-remote");
        Assert.Equal("Creating build... done, v2\n", await alice.Ok(alice.Home, "builds:create", image, "-a", copy));
        Assert.Equal("built once\n", await platform.WaitForBodyAsync(copy, "built once"));
        Assert.Matches($@"(?m)^v2\s+\S+\s+{alice.Username} deployed {Regex.Escape(image)}$", await alice.Ok(alice.Home, "releases", "-a", copy));

        var copied = (await alice.JsonAsync(alice.Home, "builds", "-a", copy))[0];
        Assert.Equal("image", copied.GetProperty("kind").GetString());
        Assert.Equal(image, copied.GetProperty("image").GetString());

        // An image the registry does not have: the release fails, says why in words, and the app keeps serving.
        var missing = await alice.Fails(alice.Home, "builds:create", $"{platform.Registry}/no-such-image:1", "-a", copy);
        Assert.StartsWith($"Error: v3 was made, but its processes did not start, so {copy} keeps running its previous release: "
            + $"Could not pull image {platform.Registry}/no-such-image:1: manifest for {platform.Registry}/no-such-image:1 not found", missing);
        Assert.Equal("built once\n", await platform.BodyThroughRouterAsync(copy));
    }

    [Fact]
    public async Task The_activity_of_an_app_says_who_did_what_newest_first()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("audited", "audited app", withWorker: true);
        var sha = (await alice.Git(repo, "rev-parse", "--short=7", "HEAD")).Stdout.Trim();
        await alice.Ok(repo, "config:set", "GREETING=hi");
        await alice.Ok(repo, "ps:scale", "worker=1");
        await alice.Ok(repo, "ps:restart", "worker");
        Assert.Equal(4, (await alice.PaasIn(repo, "run", "exit 4")).ExitCode);
        await alice.Ok(repo, "domains:add", $"{app}.example.test");
        await alice.Ok(repo, "rollback");

        var events = (await alice.Ok(repo, "apps:events")).TrimEnd('\n').Split('\n');
        var messages = events.Select(line => Regex.Match(line, $@"^\S+Z  {alice.Username}  (.*)$").Groups[1].Value).ToList();
        Assert.Equal(
        [
            $"{alice.Username} rolled back to v2 (v4)",
            $"{alice.Username} added domain {app}.example.test",
            $"{alice.Username} ran 'exit 4' (exit 4)",
            $"{alice.Username} restarted worker",
            $"{alice.Username} scaled worker=1",
            $"{alice.Username} added GREETING (v3)",
            $"{alice.Username} deployed {sha} (v2)",
            $"{alice.Username} created {app}",
        ], messages);
        var json = await alice.JsonAsync(repo, "events", "-n", "3");
        Assert.Equal(3, json.GetArrayLength());
        Assert.Equal("release", json[0].GetProperty("kind").GetString());
    }
}
