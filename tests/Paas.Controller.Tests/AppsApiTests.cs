using Paas.Testing;

namespace Paas.Controller.Tests;

[Collection(PlatformCollection.Name)]
public sealed class AppsApiTests(PlatformFixture platform)
{
    private async Task<(User User, ApiClient Api)> NewUserAsync(string prefix)
    {
        var user = await platform.RegisterAsync(PlatformFixture.NewAppName(prefix));
        return (user, new ApiClient(platform.ControllerUrl, user.Token));
    }

    [Fact]
    public async Task Creating_an_app_returns_it_with_its_git_url_and_makes_release_v1()
    {
        var (user, api) = await NewUserAsync("alice");
        using var _ = api;
        var name = PlatformFixture.NewAppName("web");
        var created = await api.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""");
        Assert.Equal(201, created.Status);
        Assert.Equal(name, created.Json.GetProperty("id").GetString());
        Assert.Equal(user.Username, created.Json.GetProperty("owner").GetString());
        Assert.Equal($"{platform.BuilderUrl}/{name}.git", created.Json.GetProperty("git_url").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", created.Json.GetProperty("created").GetString());

        var releases = await api.GetAsync($"/v2/apps/{name}/releases/");
        Assert.Equal(1, releases.Json.GetProperty("count").GetInt32());
        var v1 = releases.Json.GetProperty("results")[0];
        Assert.Equal(1, v1.GetProperty("version").GetInt32());
        Assert.Equal($"{user.Username} created initial release", v1.GetProperty("summary").GetString());

        var info = await api.GetAsync($"/v2/apps/{name}/releases/v1/");
        Assert.Equal(200, info.Status);
        Assert.Equal(v1.GetProperty("uuid").GetString(), info.Json.GetProperty("uuid").GetString());
        Assert.Equal(404, (await api.GetAsync($"/v2/apps/{name}/releases/v9/")).Status);
    }

    [Fact]
    public async Task An_empty_body_makes_up_a_readable_name()
    {
        var (_, api) = await NewUserAsync("alice");
        using var _ = api;
        var created = await api.PostAsync("/v2/apps/", null);
        Assert.Equal(201, created.Status);
        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", created.Json.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("Upper", "App name can only contain a-z (lowercase), 0-9 and hyphens")]
    [InlineData("has_underscore", "App name can only contain a-z (lowercase), 0-9 and hyphens")]
    [InlineData("-leading", "App name can only contain a-z (lowercase), 0-9 and hyphens")]
    [InlineData("this-name-is-far-too-long-for-a-label", "is 37 characters long; the limit is 30")]
    [InlineData("router", "is reserved by the platform")]
    [InlineData("kube-thing", "is reserved by the platform")]
    public async Task Bad_names_are_refused_with_a_message_that_says_why(string name, string message)
    {
        var (_, api) = await NewUserAsync("alice");
        using var _ = api;
        var reply = await api.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""");
        Assert.Equal(400, reply.Status);
        Assert.Contains(message, reply.Json.GetProperty("id")[0].GetString() + " " + reply.Json.GetProperty("detail").GetString());
        Assert.Equal(404, (await api.GetAsync($"/v2/apps/{name.ToLowerInvariant()}/")).Status);
    }

    [Fact]
    public async Task A_taken_name_is_refused_with_the_Deis_message()
    {
        var (_, api) = await NewUserAsync("alice");
        var (_, other) = await NewUserAsync("bob");
        using var _ = api;
        using var __ = other;
        var name = PlatformFixture.NewAppName("taken");
        Assert.Equal(201, (await api.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""")).Status);
        var reply = await other.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""");
        Assert.Equal(400, reply.Status);
        Assert.Equal("Application with this id already exists.", reply.Json.GetProperty("id")[0].GetString());
    }

    [Fact]
    public async Task Lists_are_pages_with_count_next_and_previous()
    {
        var (_, api) = await NewUserAsync("pager");
        using var _ = api;
        var names = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var name = $"page{i}-{Guid.NewGuid().ToString("N")[..6]}";
            names.Add(name);
            Assert.Equal(201, (await api.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""")).Status);
        }

        var first = await api.GetAsync("/v2/apps/?limit=2");
        Assert.Equal(3, first.Json.GetProperty("count").GetInt32());
        Assert.Equal(2, first.Json.GetProperty("results").GetArrayLength());
        Assert.EndsWith("/v2/apps/?limit=2&offset=2", first.Json.GetProperty("next").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, first.Json.GetProperty("previous").ValueKind);

        var second = await api.GetAsync("/v2/apps/?limit=2&offset=2");
        Assert.Equal(1, second.Json.GetProperty("results").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.Json.GetProperty("next").ValueKind);
        var seen = first.Json.GetProperty("results").EnumerateArray().Concat(second.Json.GetProperty("results").EnumerateArray())
            .Select(a => a.GetProperty("id").GetString()!).Order().ToList();
        Assert.Equal(names.Order().ToList(), seen);

        Assert.Equal(400, (await api.GetAsync("/v2/apps/?limit=many")).Status);
    }

    [Theory]
    [InlineData("/v2/apps/{0}/")]
    [InlineData("/v2/apps/{0}")]
    [InlineData("//v2/apps/{0}/")]
    public async Task Paths_work_with_and_without_the_trailing_slash(string template)
    {
        var (_, api) = await NewUserAsync("slash");
        using var _ = api;
        var name = PlatformFixture.NewAppName("slash");
        Assert.Equal(201, (await api.PostAsync("/v2/apps", $$"""{"id":"{{name}}"}""")).Status);
        Assert.Equal(200, (await api.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, name))).Status);
    }

    [Fact]
    public async Task Strangers_learn_nothing_about_other_peoples_apps_and_admins_see_everything()
    {
        var (_, owner) = await NewUserAsync("owner");
        var (_, stranger) = await NewUserAsync("stranger");
        using var _ = owner;
        using var __ = stranger;
        var name = PlatformFixture.NewAppName("secret");
        Assert.Equal(201, (await owner.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""")).Status);

        // Deis clients (no Accept header) get Deis's bare string; others a ProblemDetails.
        var deisStyle = await stranger.GetAsync($"/v2/apps/{name}/");
        Assert.Equal(404, deisStyle.Status);
        Assert.Equal("\"No App matches the given query.\"", deisStyle.Body);
        var problem = await stranger.GetAsync($"/v2/apps/{name}/", "application/json, application/problem+json");
        Assert.Equal(404, problem.Status);
        Assert.Contains($"App '{name}' does not exist, or you do not have access to it", problem.Json.GetProperty("detail").GetString());
        Assert.Equal(404, (await stranger.GetAsync($"/v2/apps/{name}/releases/")).Status);
        Assert.Equal(404, (await stranger.DeleteAsync($"/v2/apps/{name}/")).Status);
        Assert.DoesNotContain(name, (await stranger.GetAsync("/v2/apps/")).Body);

        using var admin = new ApiClient(platform.ControllerUrl, platform.Admin.Token);
        Assert.Contains(name, (await admin.GetAsync("/v2/apps/?limit=1000")).Body);
        Assert.Equal(204, (await admin.DeleteAsync($"/v2/apps/{name}/")).Status);
        Assert.Equal(404, (await owner.GetAsync($"/v2/apps/{name}/")).Status);
    }

    [Fact]
    public async Task Every_endpoint_but_registration_and_login_needs_a_token()
    {
        using var anonymous = new ApiClient(platform.ControllerUrl);
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/v2/apps/"), (HttpMethod.Post, "/v2/apps/"), (HttpMethod.Get, "/v2/apps/x/"),
                     (HttpMethod.Delete, "/v2/apps/x/"), (HttpMethod.Get, "/v2/apps/x/releases/"), (HttpMethod.Get, "/v2/auth/whoami/") })
        {
            var reply = await anonymous.SendAsync(method, path, null, null);
            Assert.True(reply.Status == 401, $"{method} {path}: {reply}");
        }
    }

    [Fact]
    public async Task The_route_table_needs_the_service_token_and_supports_ETags()
    {
        using var anonymous = new ApiClient(platform.ControllerUrl);
        Assert.Equal(401, (await anonymous.GetAsync("/v2/hooks/routes/")).Status);

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, platform.ControllerUrl + "/v2/hooks/routes/");
        request.Headers.Add("X-Deis-Builder-Auth", platform.Env["PAAS_SERVICE_TOKEN"]);
        using var response = await http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        var etag = response.Headers.ETag!.Tag;

        using var again = new HttpRequestMessage(HttpMethod.Get, platform.ControllerUrl + "/v2/hooks/routes/");
        again.Headers.Add("X-Deis-Builder-Auth", platform.Env["PAAS_SERVICE_TOKEN"]);
        again.Headers.Add("If-None-Match", etag);
        using var unchanged = await http.SendAsync(again);
        Assert.Equal(304, (int)unchanged.StatusCode);
    }
}
