using Paas.Testing;

namespace Paas.Controller.Tests;

[Collection(PlatformCollection.Name)]
public sealed class PeopleApiTests(PlatformFixture platform)
{
    private ApiClient AsAdmin() => new(platform.ControllerUrl, platform.Admin.Token);

    [Fact]
    public async Task Collaborators_may_use_an_app_but_only_the_owner_shares_destroys_or_transfers_it()
    {
        using var owner = await platform.MemberAsync("owner");
        using var friend = await platform.MemberAsync("friend");
        var app = await owner.NewAppAsync();
        Assert.Equal(404, (await friend.Api.GetAsync($"/v2/apps/{app}/")).Status);

        Assert.Equal(201, (await owner.Api.PostAsync($"/v2/apps/{app}/perms/", $$"""{"username":"{{friend.Name}}"}""")).Status);
        Assert.Equal([friend.Name], (await owner.Api.GetAsync($"/v2/apps/{app}/perms/")).Json.GetProperty("users").EnumerateArray().Select(u => u.GetString()));
        Assert.Equal(200, (await friend.Api.GetAsync($"/v2/apps/{app}/")).Status);
        Assert.Contains(app, (await friend.Api.GetAsync("/v2/apps/")).Body);
        Assert.Equal(201, (await friend.Api.PostAsync($"/v2/apps/{app}/config/", """{"values":{"BY_FRIEND":"1"}}""")).Status);

        using var stranger = await platform.MemberAsync("stranger");
        Assert.Equal(403, (await friend.Api.PostAsync($"/v2/apps/{app}/perms/", $$"""{"username":"{{stranger.Name}}"}""")).Status);
        Assert.Equal(403, (await friend.Api.DeleteAsync($"/v2/apps/{app}/")).Status);
        Assert.Equal(403, (await friend.Api.PostAsync($"/v2/apps/{app}/", $$"""{"owner":"{{friend.Name}}"}""")).Status);

        var duplicate = await owner.Api.PostAsync($"/v2/apps/{app}/perms/", $$"""{"username":"{{friend.Name}}"}""");
        Assert.Equal(400, duplicate.Status);
        Assert.Equal(404, (await owner.Api.PostAsync($"/v2/apps/{app}/perms/", """{"username":"nobody-at-all"}""")).Status);

        Assert.Equal(204, (await owner.Api.DeleteAsync($"/v2/apps/{app}/perms/{friend.Name}")).Status);
        Assert.Equal(404, (await friend.Api.GetAsync($"/v2/apps/{app}/")).Status);
    }

    [Fact]
    public async Task Transferring_an_app_makes_the_new_owner_its_owner_and_records_it()
    {
        using var alice = await platform.MemberAsync("alice");
        using var bob = await platform.MemberAsync("bob");
        var app = await alice.NewAppAsync();
        var moved = await alice.Api.PostAsync($"/v2/apps/{app}/", $$"""{"owner":"{{bob.Name}}"}""");
        Assert.Equal(200, moved.Status);
        Assert.Equal(bob.Name, moved.Json.GetProperty("owner").GetString());
        Assert.Equal(404, (await alice.Api.GetAsync($"/v2/apps/{app}/")).Status);
        Assert.Equal(204, (await bob.Api.DeleteAsync($"/v2/apps/{app}/")).Status);
    }

    [Fact]
    public async Task Administrators_list_users_and_manage_other_administrators()
    {
        using var carol = await platform.MemberAsync("carol");
        Assert.Equal(403, (await carol.Api.GetAsync("/v2/users/")).Status);
        Assert.Equal(403, (await carol.Api.GetAsync("/v2/admin/perms/")).Status);

        using var admin = AsAdmin();
        var users = await admin.GetAsync("/v2/users/?limit=1000");
        Assert.Contains(carol.Name, users.Body);
        Assert.Equal(201, (await admin.PostAsync("/v2/admin/perms/", $$"""{"username":"{{carol.Name}}"}""")).Status);
        Assert.Equal(200, (await carol.Api.GetAsync("/v2/users/")).Status);
        Assert.Contains(carol.Name, (await admin.GetAsync("/v2/admin/perms/?limit=1000")).Body);
        Assert.Equal(204, (await admin.DeleteAsync($"/v2/admin/perms/{carol.Name}")).Status);
        Assert.Equal(403, (await carol.Api.GetAsync("/v2/users/")).Status);
    }

    [Fact]
    public async Task Changing_a_password_needs_the_current_one_and_the_new_one_works()
    {
        using var dave = await platform.MemberAsync("dave");
        var wrong = await dave.Api.PostAsync("/v2/auth/passwd/", """{"password":"not-it","new_password":"brand-new-1"}""");
        Assert.Equal(400, wrong.Status);
        Assert.Contains("current password is not right", wrong.Json.GetProperty("detail").GetString());
        Assert.Equal(200, (await dave.Api.PostAsync("/v2/auth/passwd/", $$"""{"password":"{{dave.User.Password}}","new_password":"brand-new-1"}""")).Status);

        using var anonymous = new ApiClient(platform.ControllerUrl);
        Assert.Equal(400, (await anonymous.PostAsync("/v2/auth/login/", $$"""{"username":"{{dave.Name}}","password":"{{dave.User.Password}}"}""")).Status);
        Assert.Equal(200, (await anonymous.PostAsync("/v2/auth/login/", $$"""{"username":"{{dave.Name}}","password":"brand-new-1"}""")).Status);
        Assert.Equal(403, (await dave.Api.PostAsync("/v2/auth/passwd/", """{"username":"admin","new_password":"hijacked-1"}""")).Status);
    }

    [Fact]
    public async Task Regenerating_a_token_stops_the_old_one()
    {
        using var erin = await platform.MemberAsync("erin");
        var fresh = await erin.Api.PostAsync("/v2/auth/tokens/", null);
        Assert.Equal(200, fresh.Status);
        Assert.Equal(401, (await erin.Api.GetAsync("/v2/auth/whoami/")).Status);
        using var renewed = new ApiClient(platform.ControllerUrl, fresh.Json.GetProperty("token").GetString());
        Assert.Equal(200, (await renewed.GetAsync("/v2/auth/whoami/")).Status);
        Assert.Equal(403, (await renewed.PostAsync("/v2/auth/tokens/", """{"all":true}""")).Status);
    }

    [Fact]
    public async Task Cancelling_an_account_is_refused_while_it_owns_apps()
    {
        using var frank = await platform.MemberAsync("frank");
        var app = await frank.NewAppAsync();
        var refused = await frank.Api.SendAsync(HttpMethod.Delete, "/v2/auth/cancel/", "{}", null);
        Assert.Equal(409, refused.Status);
        Assert.Contains("still has applications assigned. Delete or transfer ownership", refused.Json.GetProperty("detail").GetString());

        Assert.Equal(204, (await frank.Api.DeleteAsync($"/v2/apps/{app}/")).Status);
        Assert.Equal(204, (await frank.Api.SendAsync(HttpMethod.Delete, "/v2/auth/cancel/", null, null)).Status);
        using var anonymous = new ApiClient(platform.ControllerUrl);
        Assert.Equal(400, (await anonymous.PostAsync("/v2/auth/login/", $$"""{"username":"{{frank.Name}}","password":"{{frank.User.Password}}"}""")).Status);
    }

    [Fact]
    public async Task SSH_keys_are_validated_listed_unique_and_found_by_fingerprint_for_the_builder()
    {
        using var gina = await platform.MemberAsync("gina");
        var dir = Directory.CreateTempSubdirectory("paas-key-").FullName;
        (await Processes.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "gina@laptop", "-f", Path.Combine(dir, "id")])).ShouldSucceed("ssh-keygen");
        var publicKey = await File.ReadAllTextAsync(Path.Combine(dir, "id.pub"));
        var fingerprint = (await Processes.RunAsync("ssh-keygen", ["-l", "-E", "md5", "-f", Path.Combine(dir, "id.pub")])).Stdout.Split(' ')[1]["MD5:".Length..];

        var added = await gina.Api.PostAsync("/v2/keys/", System.Text.Json.JsonSerializer.Serialize(new { id = "laptop", @public = publicKey }));
        Assert.Equal(201, added.Status);
        Assert.Equal(fingerprint, added.Json.GetProperty("fingerprint").GetString());
        Assert.Contains("laptop", (await gina.Api.GetAsync("/v2/keys/")).Body);

        var again = await gina.Api.PostAsync("/v2/keys/", System.Text.Json.JsonSerializer.Serialize(new { id = "other", @public = publicKey }));
        Assert.Equal("Public Key is already in use", again.Json.GetProperty("key")[0].GetString());
        var garbage = await gina.Api.PostAsync("/v2/keys/", """{"id":"bad","public":"ssh-rsa ###notbase64###"}""");
        Assert.Equal("Key contains invalid base64 chars", garbage.Json.GetProperty("public")[0].GetString());
        var privateKey = await gina.Api.PostAsync("/v2/keys/", System.Text.Json.JsonSerializer.Serialize(new { id = "oops", @public = await File.ReadAllTextAsync(Path.Combine(dir, "id")) }));
        Assert.Contains("not an SSH public key", privateKey.Json.GetProperty("detail").GetString());

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ControllerUrl}/v2/hooks/key/{fingerprint}");
        request.Headers.Add("X-Deis-Builder-Auth", platform.Env["PAAS_SERVICE_TOKEN"]);
        using var hook = await http.SendAsync(request);
        Assert.Contains(gina.Name, await hook.Content.ReadAsStringAsync());

        Assert.Equal(204, (await gina.Api.DeleteAsync("/v2/keys/laptop")).Status);
        Assert.Equal(404, (await gina.Api.DeleteAsync("/v2/keys/laptop")).Status);
        Directory.Delete(dir, true);
    }
}
