using Paas.Testing;

namespace Paas.Controller.Tests;

[Collection(PlatformCollection.Name)]
public sealed class AuthApiTests(PlatformFixture platform)
{
    private ApiClient Anonymous() => new(platform.ControllerUrl);

    [Theory]
    [InlineData("/v2/")]
    [InlineData("//v2/")]
    [InlineData("/v2")]
    public async Task The_API_root_answers_401_without_a_token_with_Deis_version_headers(string path)
    {
        using var api = Anonymous();
        var reply = await api.GetAsync(path);
        Assert.Equal(401, reply.Status);
        Assert.Equal("2.3", Assert.Single(reply.Headers.GetValues("DEIS_API_VERSION")));
        Assert.NotEmpty(Assert.Single(reply.Headers.GetValues("DEIS_PLATFORM_VERSION")));
        Assert.Equal("application/problem+json", reply.ContentType);
        Assert.Contains("paas auth:login", reply.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_first_user_is_an_administrator_and_later_ones_are_not()
    {
        using var admin = new ApiClient(platform.ControllerUrl, platform.Admin.Token);
        Assert.True((await admin.GetAsync("/v2/auth/whoami/")).Json.GetProperty("is_superuser").GetBoolean());

        var bob = await platform.RegisterAsync(PlatformFixture.NewAppName("bob"));
        using var asBob = new ApiClient(platform.ControllerUrl, bob.Token);
        var whoami = await asBob.GetAsync("/v2/auth/whoami/");
        Assert.Equal(200, whoami.Status);
        Assert.Equal(bob.Username, whoami.Json.GetProperty("username").GetString());
        Assert.False(whoami.Json.GetProperty("is_superuser").GetBoolean());
        Assert.Equal($"{bob.Username}@example.com", whoami.Json.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Login_returns_a_working_token_and_Bearer_is_accepted_like_token()
    {
        using var api = Anonymous();
        var login = await api.PostAsync("/v2/auth/login/", $$"""{"username":"{{platform.Admin.Username}}","password":"{{platform.Admin.Password}}"}""");
        Assert.Equal(200, login.Status);
        var token = login.Json.GetProperty("token").GetString()!;
        Assert.Matches("^[0-9a-f]{40}$", token);

        var bearer = await api.SendAsync(HttpMethod.Get, "/v2/auth/whoami/", null, null, "Bearer " + token);
        Assert.Equal(200, bearer.Status);
        var deis = await api.SendAsync(HttpMethod.Get, "/v2/auth/whoami/", null, null, "token " + token);
        Assert.Equal(200, deis.Status);
        var wrong = await api.SendAsync(HttpMethod.Get, "/v2/auth/whoami/", null, null, "token " + new string('0', 40));
        Assert.Equal(401, wrong.Status);
    }

    [Fact]
    public async Task Tokens_are_stored_only_as_hashes()
    {
        var carol = await platform.RegisterAsync(PlatformFixture.NewAppName("carol"));
        var rows = await platform.PsqlAsync("SELECT \"Hash\" FROM api_tokens");
        Assert.DoesNotContain(carol.Token, rows);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(carol.Token))), rows);
    }

    [Theory]
    [InlineData("""{"username":"","password":"x12345"}""", "username", "This field may not be blank.")]
    [InlineData("""{"username":"bad name!","password":"x12345"}""", "username", "Enter a valid username. This value may contain only letters, numbers and @/./+/-/_ characters.")]
    [InlineData("""{"username":"nopass"}""", "password", "This field may not be blank.")]
    [InlineData("""{"username":"bademail","password":"x12345","email":"not-an-address"}""", "email", "Enter a valid email address.")]
    [InlineData("""{"username":"admin","password":"x12345"}""", "username", "A user with that username already exists.")]
    public async Task Bad_registrations_get_400_with_the_field_error_Deis_clients_recognise(string body, string field, string message)
    {
        using var api = Anonymous();
        var reply = await api.PostAsync("/v2/auth/register/", body);
        Assert.Equal(400, reply.Status);
        Assert.Equal(message, reply.Json.GetProperty(field)[0].GetString());
        Assert.False(string.IsNullOrWhiteSpace(reply.Json.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Bad_credentials_get_the_Deis_login_error()
    {
        using var api = Anonymous();
        var reply = await api.PostAsync("/v2/auth/login/", $$"""{"username":"{{platform.Admin.Username}}","password":"wrong-password"}""");
        Assert.Equal(400, reply.Status);
        Assert.Equal("Unable to log in with provided credentials.", reply.Json.GetProperty("non_field_errors")[0].GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_JSON_gets_a_400_that_says_so()
    {
        using var api = Anonymous();
        var reply = await api.PostAsync("/v2/auth/login/", "{not json");
        Assert.Equal(400, reply.Status);
        Assert.Contains("not the JSON this endpoint expects", reply.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_are_served_without_a_token()
    {
        using var api = Anonymous();
        Assert.Equal(200, (await api.GetAsync("/healthz")).Status);
        var openapi = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(200, openapi.Status);
        Assert.True(openapi.Json.GetProperty("paths").TryGetProperty("/v2/apps", out _), openapi.Body[..Math.Min(500, openapi.Body.Length)]);
    }
}
