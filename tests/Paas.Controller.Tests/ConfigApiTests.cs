using System.Text.Json;
using Paas.Testing;

namespace Paas.Controller.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ConfigApiTests(PlatformFixture platform)
{
    [Fact]
    public async Task Setting_and_unsetting_values_makes_releases_with_readable_summaries()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();

        var set = await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"values":{"GREETING":"héllo = world\nline two","EMPTY":""}}""");
        Assert.Equal(201, set.Status);
        Assert.Equal("héllo = world\nline two", set.Json.GetProperty("values").GetProperty("GREETING").GetString());
        Assert.Equal(2, set.Json.GetProperty("release").GetInt32());

        var unset = await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"values":{"EMPTY":null}}""");
        Assert.Equal(201, unset.Status);
        var config = await alice.Api.GetAsync($"/v2/apps/{app}/config/");
        Assert.Equal(["GREETING"], config.Json.GetProperty("values").EnumerateObject().Select(p => p.Name));

        var releases = (await alice.Api.GetAsync($"/v2/apps/{app}/releases/")).Json.GetProperty("results");
        Assert.Equal($"{alice.Name} removed EMPTY", releases[0].GetProperty("summary").GetString());
        Assert.Equal($"{alice.Name} added GREETING, EMPTY", releases[1].GetProperty("summary").GetString());
        Assert.Equal(3, releases[0].GetProperty("version").GetInt32());
    }

    [Theory]
    [InlineData("""{"values":{"1BAD":"x"}}""", "not a valid environment variable name")]
    [InlineData("""{"values":{"PORT":"80"}}""", "set by the platform")]
    [InlineData("""{"values":{"NEVER_SET":null}}""", "Cannot unset NEVER_SET")]
    [InlineData("""{"values":{"A":{"nested":1}}}""", "must be a string")]
    [InlineData("""{"memory":{"web":"lots"}}""", "Memory limit 'lots' is not understood")]
    [InlineData("""{"cpu":{"web":"fast"}}""", "CPU limit 'fast' is not understood")]
    [InlineData("""{"healthcheck":{"web/cmd":{"readinessProbe":{"httpGet":{"path":"health"}}}}}""", "path starting with '/'")]
    [InlineData("""{"healthcheck":{"web/cmd":{"readinessProbe":{"periodSeconds":1}}}}""", "exactly one of httpGet, tcpSocket or exec")]
    [InlineData("""{"colour":"blue"}""", "Unknown config field(s) colour")]
    [InlineData("""{}""", "Nothing to change")]
    [InlineData("""[1,2]""", "must be a JSON object")]
    public async Task Bad_changes_are_refused_with_a_reason_and_change_nothing(string body, string reason)
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        var reply = await alice.Api.PostAsync($"/v2/apps/{app}/config/", body);
        Assert.Equal(400, reply.Status);
        Assert.Contains(reason, reply.Json.GetProperty("detail").GetString());
        Assert.Equal(1, (await alice.Api.GetAsync($"/v2/apps/{app}/releases/")).Json.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Limits_health_checks_and_tags_are_kept_in_Deis_shapes()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"memory":{"web":"256M"},"cpu":{"web":"500m"}}""")).Status);
        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/config/",
            """{"healthcheck":{"web/cmd":{"readinessProbe":{"initialDelaySeconds":2,"timeoutSeconds":3,"periodSeconds":4,"successThreshold":1,"failureThreshold":5,"httpGet":{"path":"/health","port":5000,"httpHeaders":[{"name":"X-Check","value":"1"}]}}}}}""")).Status);
        var tags = await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"tags":{"disk":"ssd"}}""");
        Assert.Equal(201, tags.Status);
        Assert.Contains("ignores tags", string.Join(" ", tags.Headers.GetValues("X-Paas-Notice")));

        var config = (await alice.Api.GetAsync($"/v2/apps/{app}/config/")).Json;
        Assert.Equal("256M", config.GetProperty("memory").GetProperty("web").GetString());
        Assert.Equal(JsonValueKind.String, config.GetProperty("cpu").GetProperty("web").ValueKind);
        Assert.Equal("500m", config.GetProperty("cpu").GetProperty("web").GetString());
        Assert.Equal("ssd", config.GetProperty("tags").GetProperty("disk").GetString());
        var probe = config.GetProperty("healthcheck").GetProperty("web/cmd").GetProperty("readinessProbe");
        Assert.Equal("/health", probe.GetProperty("httpGet").GetProperty("path").GetString());
        Assert.Equal("X-Check", probe.GetProperty("httpGet").GetProperty("httpHeaders")[0].GetProperty("name").GetString());
        Assert.Equal(5, probe.GetProperty("failureThreshold").GetInt32());

        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"healthcheck":{"web/cmd":{"readinessProbe":null}},"memory":{"web":null}}""")).Status);
        config = (await alice.Api.GetAsync($"/v2/apps/{app}/config/")).Json;
        Assert.False(config.GetProperty("healthcheck").TryGetProperty("web/cmd", out _));
        Assert.False(config.GetProperty("memory").TryGetProperty("web", out _));
    }

    [Fact]
    public async Task Concurrent_changes_all_land_with_gap_free_versions()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        var replies = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            alice.Api.PostAsync($"/v2/apps/{app}/config/", $$$"""{"values":{"KEY_{{{i}}}":"{{{i}}}"}}""")));
        Assert.All(replies, r => Assert.Equal(201, r.Status));

        var values = (await alice.Api.GetAsync($"/v2/apps/{app}/config/")).Json.GetProperty("values");
        Assert.Equal(Enumerable.Range(0, 8).Select(i => $"KEY_{i}").Order(), values.EnumerateObject().Select(p => p.Name).Order());
        var versions = (await alice.Api.GetAsync($"/v2/apps/{app}/releases/")).Json.GetProperty("results")
            .EnumerateArray().Select(r => r.GetProperty("version").GetInt32()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 9), versions);
        Assert.Equal(Enumerable.Range(2, 8), replies.Select(r => r.Json.GetProperty("release").GetInt32()).Order());
    }

    [Fact]
    public async Task Rollback_without_a_build_is_refused_and_every_change_is_in_the_activity()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        await alice.Api.PostAsync($"/v2/apps/{app}/config/", """{"values":{"A":"1"}}""");
        var rollback = await alice.Api.PostAsync($"/v2/apps/{app}/releases/rollback/", null);
        Assert.Equal(400, rollback.Status);
        Assert.Contains("no earlier release that ran", rollback.Json.GetProperty("detail").GetString());
        Assert.Equal(400, (await alice.Api.PostAsync($"/v2/apps/{app}/releases/rollback/", """{"version":1}""")).Status);

        var events = (await alice.Api.GetAsync($"/v2/apps/{app}/events/")).Json.GetProperty("results").EnumerateArray()
            .Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains($"{alice.Name} created {app}", events);
        Assert.Contains($"{alice.Name} added A (v2)", events);
    }
}
