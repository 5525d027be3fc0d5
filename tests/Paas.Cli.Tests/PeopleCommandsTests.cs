using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>perms:*, users:list, auth:passwd, auth:regenerate, auth:cancel, apps:transfer, keys:*.</summary>
public sealed class PeopleCommandsTests : CommandTests
{
    private const string PublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7n9N3QqZl0m4cV8o3Ue2Xk1s9VJz9Ma0vRxA alice@laptop\n";

    [Fact]
    public async Task Perms_lists_an_apps_collaborators()
    {
        Controller.On("GET", "/v2/apps/demo/perms/", 200, new { users = new[] { "bob", "carol" } });

        var result = await Machine.RunAsync("sharing", "-a", "demo");
        var json = await Machine.RunAsync("perms:list", "--json", "-a", "demo");

        Succeeded(result);
        Assert.Equal("=== demo's Users\nbob\ncarol\n", result.Stdout);
        using var users = JsonDocument.Parse(json.Stdout);
        Assert.Equal(["bob", "carol"], users.RootElement.EnumerateArray().Select(u => u.GetString()));
    }

    [Fact]
    public async Task Perms_admin_lists_the_administrators_without_an_app()
    {
        Controller.On("GET", "/v2/admin/perms/?limit=100", 200, FakeController.Page([new { username = "alice" }]));

        var result = await Machine.RunAsync("perms", "--admin");

        Succeeded(result);
        Assert.Equal(["GET /v2/admin/perms/?limit=100"], RequestLines);
        Assert.Equal("=== Administrators\nalice\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "perms:create", "bob", "-a", "demo" }, "POST /v2/apps/demo/perms/", """{"username":"bob"}""", "Adding bob to demo collaborators... done\n")]
    [InlineData(new[] { "sharing:add", "bob", "-a", "demo" }, "POST /v2/apps/demo/perms/", """{"username":"bob"}""", "Adding bob to demo collaborators... done\n")]
    [InlineData(new[] { "perms:create", "bob", "--admin" }, "POST /v2/admin/perms/", """{"username":"bob"}""", "Adding bob to the administrators... done\n")]
    [InlineData(new[] { "perms:delete", "bob", "-a", "demo" }, "DELETE /v2/apps/demo/perms/bob", "", "Removing bob from demo collaborators... done\n")]
    [InlineData(new[] { "sharing:remove", "bob", "-a", "demo" }, "DELETE /v2/apps/demo/perms/bob", "", "Removing bob from demo collaborators... done\n")]
    [InlineData(new[] { "perms:delete", "bob", "--admin" }, "DELETE /v2/admin/perms/bob", "", "Removing bob from the administrators... done\n")]
    [InlineData(new[] { "apps:transfer", "bob", "-a", "demo" }, "POST /v2/apps/demo/", """{"owner":"bob"}""", "Transferring demo to bob... done\n")]
    public async Task People_changes_send_one_request(string[] args, string request, string body, string output)
    {
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        Controller.On(method, path, method == "DELETE" ? 204 : 201, method == "DELETE" ? null : new { });

        var result = await Machine.RunAsync(args);

        Succeeded(result);
        var sent = Assert.Single(Controller.Requests);
        Assert.Equal(request, sent.ToString());
        Assert.Equal(body, sent.Body);
        Assert.Equal(output, result.Stdout);
    }

    [Fact]
    public async Task Users_marks_the_administrators()
    {
        Controller.On("GET", "/v2/users/?limit=100", 200, FakeController.Page(
        [
            new { username = "alice", is_superuser = true },
            new { username = "bob", is_superuser = false },
        ]));

        var result = await Machine.RunAsync("users");
        var json = await Machine.RunAsync("users:list", "--json");

        Succeeded(result);
        Assert.Equal("=== Users (* = administrator)\n* alice\n  bob\n", result.Stdout);
        using var users = JsonDocument.Parse(json.Stdout);
        Assert.True(users.RootElement[0].GetProperty("is_superuser").GetBoolean());
    }

    [Fact]
    public async Task Users_as_a_non_administrator_shows_the_refusal()
    {
        Controller.On("GET", "/v2/users/?limit=100", 403, new { title = "Forbidden", status = 403, detail = "Only administrators may list users." });

        var result = await Machine.RunAsync("users");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: You do not have permission to do this. Only administrators may list users.\n", result.Stderr);
    }

    [Fact]
    public async Task Passwd_changes_your_own_with_the_current_password()
    {
        Controller.On("POST", "/v2/auth/passwd/", 200, new { });

        var result = await Machine.RunAsync("passwd", "--password", "old", "--new-password", "n3w");

        Succeeded(result);
        Assert.Equal("""{"password":"old","new_password":"n3w"}""", Assert.Single(Controller.Requests).Body);
        Assert.Equal("Changing your password... done\n", result.Stdout);
    }

    [Fact]
    public async Task Passwd_for_another_user_needs_no_current_password()
    {
        Controller.On("POST", "/v2/auth/passwd/", 200, new { });

        var result = await Machine.RunAsync("auth:passwd", "--username", "bob", "--new-password", "n3w");

        Succeeded(result);
        Assert.Equal("""{"username":"bob","new_password":"n3w"}""", Assert.Single(Controller.Requests).Body);
        Assert.Equal("Changing the password of bob... done\n", result.Stdout);
    }

    [Theory]
    [InlineData(new[] { "passwd", "--new-password", "n3w" }, "Error: --password is required (there is no terminal to ask on)\n")]
    [InlineData(new[] { "passwd", "--password", "old" }, "Error: --new-password is required (there is no terminal to ask on)\n")]
    public async Task Passwd_without_a_terminal_needs_every_value(string[] args, string error)
    {
        var result = await Machine.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Passwd_shows_the_controllers_refusal()
    {
        Controller.On("POST", "/v2/auth/passwd/", 400, Problem(400, "Current password does not match."));

        var result = await Machine.RunAsync("passwd", "--password", "wrong", "--new-password", "n3w");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: Current password does not match.\n", result.Stderr);
    }

    [Fact]
    public async Task Regenerate_saves_your_new_token()
    {
        Controller.On("POST", "/v2/auth/tokens/", 200, new { token = "fresh-token" });

        var result = await Machine.RunAsync("auth:regenerate");
        var next = await Machine.RunAsync("users");

        Succeeded(result);
        Assert.Equal("Token regenerated\n", result.Stdout);
        Assert.Equal("{}", Controller.Requests[0].Body);
        Assert.Equal("token fresh-token", Controller.Requests[1].Header("Authorization"));
        Assert.Equal(1, next.ExitCode); // no canned answer for users, but it was asked with the new token
    }

    [Theory]
    [InlineData(new[] { "-u", "bob" }, """{"username":"bob"}""", "t0k3n-alice")]
    [InlineData(new[] { "--all" }, """{"all":true}""", "fresh-token")]
    public async Task Regenerate_for_others_or_everyone(string[] options, string body, string tokenAfterwards)
    {
        Controller.On("POST", "/v2/auth/tokens/", 200, new { token = "fresh-token" });

        var result = await Machine.RunAsync(["auth:regenerate", .. options]);

        Succeeded(result);
        Assert.Equal(body, Assert.Single(Controller.Requests).Body);
        using var profile = JsonDocument.Parse(File.ReadAllText(Machine.ProfilePath));
        Assert.Equal(tokenAfterwards, profile.RootElement.GetProperty("token").GetString());
    }

    [Fact]
    public async Task Cancel_without_a_terminal_needs_yes()
    {
        var result = await Machine.RunAsync("auth:cancel");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: --yes is required to cancel the account alice (there is no terminal to ask on)\n", result.Stderr);
        Assert.Empty(Controller.Requests);
        Assert.True(File.Exists(Machine.ProfilePath));
    }

    [Fact]
    public async Task Cancel_yourself_deletes_with_a_json_body_and_forgets_the_profile()
    {
        Controller.On("DELETE", "/v2/auth/cancel/", 204);

        var result = await Machine.RunAsync("auth:cancel", "--yes");

        Succeeded(result);
        var cancel = Assert.Single(Controller.Requests);
        Assert.Equal("{}", cancel.Body);
        Assert.Equal("application/json", cancel.Header("Content-Type"));
        Assert.Equal("Cancelling the account alice... done\nLogged out\n", result.Stdout);
        Assert.False(File.Exists(Machine.ProfilePath));
    }

    [Fact]
    public async Task Cancel_another_user_keeps_your_profile()
    {
        Controller.On("DELETE", "/v2/auth/cancel/", 204);

        var result = await Machine.RunAsync("auth:cancel", "--username", "bob", "--yes");

        Succeeded(result);
        Assert.Equal("""{"username":"bob"}""", Assert.Single(Controller.Requests).Body);
        Assert.True(File.Exists(Machine.ProfilePath));
    }

    [Fact]
    public async Task Cancel_of_a_user_who_still_owns_apps_shows_why()
    {
        Controller.On("DELETE", "/v2/auth/cancel/", 409, new
        {
            title = "Conflict",
            status = 409,
            detail = "alice still has applications assigned. Delete or transfer ownership first.",
        });

        var result = await Machine.RunAsync("auth:cancel", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: alice still has applications assigned. Delete or transfer ownership first.\n", result.Stderr);
        Assert.True(File.Exists(Machine.ProfilePath));
    }

    [Fact]
    public async Task Keys_list_abbreviates_the_keys()
    {
        Controller.On("GET", "/v2/keys/?limit=100", 200, FakeController.Page(
            [new { id = "alice@laptop", @public = PublicKey, fingerprint = "SHA256:abc", owner = "alice" }]));

        var result = await Machine.RunAsync("keys");
        var json = await Machine.RunAsync("keys:list", "--json");

        Succeeded(result);
        var lines = result.Stdout.Split('\n');
        Assert.Equal("=== alice Keys", lines[0]);
        Assert.Matches("^id +key +fingerprint$", lines[1]);
        Assert.Equal("alice@laptop  ssh-ed25519 AAAAC3NzaC1lZDI1...Jz9Ma0vRxA alice@laptop  SHA256:abc", lines[2]);
        using var keys = JsonDocument.Parse(json.Stdout);
        Assert.Equal(PublicKey, keys.RootElement[0].GetProperty("public").GetString());
    }

    [Fact]
    public async Task Keys_add_finds_your_default_key_and_names_it_by_its_comment()
    {
        var ssh = Directory.CreateDirectory(Path.Combine(Machine.Home, ".ssh")).FullName;
        File.WriteAllText(Path.Combine(ssh, "id_rsa.pub"), "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ old@host\n");
        File.WriteAllText(Path.Combine(ssh, "id_ecdsa.pub"), PublicKey);
        Controller.On("POST", "/v2/keys/", 201, new { id = "alice@laptop" });

        var result = await Machine.RunAsync("keys:add");

        Succeeded(result);
        Assert.Equal("Uploading id_ecdsa.pub as alice@laptop... done\n", result.Stdout);
        var body = BodyOf("POST", "/v2/keys/");
        Assert.Equal("alice@laptop", body.GetProperty("id").GetString());
        Assert.Equal(PublicKey, body.GetProperty("public").GetString());
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7n9N3Q\n", new string[0], "deploy")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG7n9N3Q ci@runner\n", new[] { "--name", "ci" }, "ci")]
    public async Task Keys_add_names_a_key_by_option_or_file_name(string key, string[] options, string id)
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "deploy.pub"), key);
        Controller.On("POST", "/v2/keys/", 201, new { id });

        var result = await Machine.RunAsync(["keys:add", "deploy.pub", .. options]);

        Succeeded(result);
        Assert.Equal(id, BodyOf("POST", "/v2/keys/").GetProperty("id").GetString());
    }

    [Fact]
    public async Task Keys_add_refuses_a_private_key_and_a_missing_file()
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n");

        var secret = await Machine.RunAsync("keys:add", "id_ed25519");
        var missing = await Machine.RunAsync("keys:add", "nope.pub");
        var none = await Machine.RunAsync("keys:add");

        Assert.Equal(1, secret.ExitCode);
        Assert.Contains("is a private key; give the public one (id_ed25519.pub)", secret.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith($"Error: Cannot read the key file {Path.Combine(Machine.WorkingDirectory, "nope.pub")}:", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, none.ExitCode);
        Assert.StartsWith($"Error: No public key found in {Path.Combine(Machine.Home, ".ssh")}", none.Stderr, StringComparison.Ordinal);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Keys_remove_deletes_by_id()
    {
        Controller.On("DELETE", "/v2/keys/alice@laptop", 204);

        var result = await Machine.RunAsync("keys:remove", "alice@laptop");

        Succeeded(result);
        Assert.Equal(["DELETE /v2/keys/alice@laptop"], RequestLines);
        Assert.Equal("Removing key alice@laptop... done\n", result.Stdout);
    }
}
