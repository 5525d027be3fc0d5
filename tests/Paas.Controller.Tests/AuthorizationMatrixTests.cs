using Paas.Testing;

namespace Paas.Controller.Tests;

/// <summary>
/// Every endpoint against anonymous, a stranger, a collaborator, the owner and an administrator.
/// Allowed callers get past authorization (bodies are chosen to be harmless: invalid or read-only), so
/// the answer is anything but 401/403 and not the "no such app" 404. Strangers learn nothing: an
/// app-scoped endpoint answers them exactly as for an app that does not exist.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class AuthorizationMatrixTests(PlatformFixture platform)
{
    public enum Level { User, Use, Own, Admin, Service }

    private const string NoSuchApp = "\"No App matches the given query.\"";

    private sealed record Cast(Member Owner, Member Collaborator, Member Stranger, string App);

    // One cast for every row of the theory (the rows only read, or send bodies that are refused).
    private static readonly Dictionary<PlatformFixture, Task<Cast>> Casts = [];

    private Task<Cast> CastAsync()
    {
        lock (Casts)
        {
            if (!Casts.TryGetValue(platform, out var cast)) Casts[platform] = cast = MakeCastAsync();
            return cast;
        }
    }

    private async Task<Cast> MakeCastAsync()
    {
        var owner = await platform.MemberAsync("owner");
        var collaborator = await platform.MemberAsync("collab");
        var stranger = await platform.MemberAsync("stranger");
        var app = await owner.NewAppAsync("matrix");
        Assert.Equal(201, (await owner.Api.PostAsync($"/v2/apps/{app}/perms/", $$"""{"username":"{{collaborator.Name}}"}""")).Status);
        return new Cast(owner, collaborator, stranger, app);
    }

    public static TheoryData<string, string, string?, Level, bool> Endpoints => new()
    {
        // method, path ({app} is replaced), body, level, whether allowed callers may be sent (false: destructive)
        { "GET", "/v2/apps/", null, Level.User, true },
        { "POST", "/v2/apps/", """{"id":"Bad Name"}""", Level.User, true },
        { "GET", "/v2/auth/whoami/", null, Level.User, true },
        { "POST", "/v2/auth/passwd/", "{}", Level.User, true },
        { "GET", "/v2/keys/", null, Level.User, true },
        { "POST", "/v2/keys/", "{}", Level.User, true },
        { "DELETE", "/v2/keys/no-such-key", null, Level.User, true },
        { "GET", "/v2/certs/", null, Level.User, true },
        { "POST", "/v2/certs/", "{}", Level.User, true },
        { "GET", "/v2/certs/no-such-cert", null, Level.User, true },
        { "GET", "/v2/apps/{app}/", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/events/", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/releases/", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/releases/v1/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/releases/rollback/", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/config/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/config/", "{}", Level.Use, true },
        { "GET", "/v2/apps/{app}/builds/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/builds/", "{}", Level.Use, true },
        { "GET", "/v2/apps/{app}/pods/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/scale/", "{}", Level.Use, true },
        { "POST", "/v2/apps/{app}/pods/restart/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/pods/web/restart/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/run", "{}", Level.Use, true },
        { "GET", "/v2/apps/{app}/logs", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/perms/", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/domains/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/domains/", """{"domain":"not a host!"}""", Level.Use, true },
        { "DELETE", "/v2/apps/{app}/domains/not-a-domain-of-it.test", null, Level.Use, true },
        { "GET", "/v2/apps/{app}/settings/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/settings/", "{}", Level.Use, true },
        { "GET", "/v2/apps/{app}/whitelist/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/whitelist/", """{"addresses":[]}""", Level.Use, true },
        { "DELETE", "/v2/apps/{app}/whitelist/", """{"addresses":[]}""", Level.Use, true },
        { "GET", "/v2/apps/{app}/services/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/services/", """{"procfile_type":"web","path_pattern":"/"}""", Level.Use, true },
        { "DELETE", "/v2/apps/{app}/services/", """{"procfile_type":"none"}""", Level.Use, true },
        { "GET", "/v2/apps/{app}/tls/", null, Level.Use, true },
        { "POST", "/v2/apps/{app}/tls/", "{}", Level.Use, true },
        { "POST", "/v2/apps/{app}/", """{"owner":""}""", Level.Own, true },
        { "POST", "/v2/apps/{app}/perms/", """{"username":""}""", Level.Own, true },
        { "DELETE", "/v2/apps/{app}/", null, Level.Own, false },
        { "GET", "/v2/users/", null, Level.Admin, true },
        { "GET", "/v2/admin/perms/", null, Level.Admin, true },
        { "POST", "/v2/admin/perms/", """{"username":""}""", Level.Admin, true },
        { "DELETE", "/v2/admin/perms/no-such-user", null, Level.Admin, true },
        { "GET", "/v2/hooks/routes/", null, Level.Service, true },
        { "GET", "/v2/hooks/key/00:11", null, Level.Service, true },
        { "POST", "/v2/hooks/config/", """{"receive_user":"nobody","receive_repo":"{app}"}""", Level.Service, true },
        { "POST", "/v2/hooks/build/", """{"receive_user":"nobody","receive_repo":"{app}","image":""}""", Level.Service, true },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Each_caller_gets_exactly_what_its_role_allows(string method, string template, string? body, Level level, bool sendAllowed)
    {
        var (owner, collaborator, stranger, app) = await CastAsync();
        var path = template.Replace("{app}", app, StringComparison.Ordinal);
        using var admin = new ApiClient(platform.ControllerUrl, platform.Admin.Token);
        using var anonymous = new ApiClient(platform.ControllerUrl);
        var verb = new HttpMethod(method);
        Task<ApiClient.Reply> Send(ApiClient client) => client.SendAsync(verb, path, body, null);

        var anon = await Send(anonymous);
        Assert.True(anon.Status == 401, $"anonymous {method} {path}: {anon}");

        var callers = new (string Role, ApiClient Client, bool Allowed)[]
        {
            ("stranger", stranger.Api, level == Level.User),
            ("collaborator", collaborator.Api, level is Level.User or Level.Use),
            ("owner", owner.Api, level is Level.User or Level.Use or Level.Own),
            ("admin", admin, level != Level.Service),
        };
        foreach (var (role, client, allowed) in callers)
        {
            if (allowed && !sendAllowed) continue;
            var reply = await Send(client);
            var what = $"{role} {method} {path}: {reply}";
            if (allowed)
            {
                Assert.True(reply.Status is not (401 or 403) && reply.Body != NoSuchApp, what);
                Assert.True(reply.Status < 500, what);
            }
            else if (level == Level.Service)
                Assert.True(reply.Status == 401, what);
            else if (level == Level.Admin)
                Assert.True(reply.Status == 403, what);
            else if (role == "stranger")
                Assert.True(reply.Status == 404 && reply.Body == NoSuchApp, what);
            else
                Assert.True(reply.Status == 403, what);
        }
    }
}
