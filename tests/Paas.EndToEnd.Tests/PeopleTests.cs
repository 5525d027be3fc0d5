using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>Collaborators, administrators, passwords, tokens, accounts and SSH keys, through the CLI.</summary>
[Collection(CommandsCollection.Name)]
public sealed class PeopleTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task A_collaborator_can_push_and_change_config_until_removed()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("shared", "alice's version");
        var bob = await platform.RegisterAsync(PlatformFixture.NewAppName("bob"));
        var bobRepo = await SampleApp.NewRepositoryAsync(bob, app, "bob's version");
        Assert.Contains("does not exist", await bob.Fails(bobRepo, "git:remote", "-a", app));

        Assert.Equal($"Adding {bob.Username} to {app} collaborators... done\n", await alice.Ok(repo, "perms:create", bob.Username));
        Assert.Equal($"=== {app}'s Users\n{bob.Username}\n", await alice.Ok(repo, "perms:list"));
        Assert.Equal(bob.Username, (await alice.JsonAsync(repo, "perms"))[0].GetString());

        // Bob sees the app, pushes to it and changes its config.
        Assert.Contains(app, await bob.Ok(bob.Home, "apps"));
        await bob.Ok(bobRepo, "git:remote", "-a", app);
        var push = await bob.Git(bobRepo, "push", "--force", "paas", "main");
        push.ShouldSucceed("bob's push");
        Assert.Contains($"remote: -----> {app} v3 deployed", push.Stderr);
        await platform.WaitForBodyAsync(app, "bob's version");
        Assert.StartsWith($"Setting config vars and restarting {app}... done, v4", await bob.Ok(bobRepo, "config:set", "FROM_BOB=yes"));
        await platform.WaitForEnvAsync(app, "FROM_BOB", "yes");
        // ... but only the owner manages who else may.
        Assert.Contains($"Only {alice.Username} (the owner) or an administrator", await bob.Fails(bobRepo, "perms:create", alice.Username));

        Assert.Equal($"Removing {bob.Username} from {app} collaborators... done\n", await alice.Ok(repo, "perms:delete", bob.Username));
        Assert.StartsWith($"=== {app}'s Users\nNo collaborators", await alice.Ok(repo, "perms"));
        Assert.Contains($"App '{app}' does not exist, or you do not have access to it", await bob.Fails(bobRepo, "config:set", "FROM_BOB=again"));
        await File.WriteAllTextAsync(Path.Combine(bobRepo, "www", "index.html"), "bob again\n");
        await bob.CommitAllAsync(bobRepo, "one more");
        var refused = await bob.Git(bobRepo, "push", "paas", "main");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"may not push to it", refused.Stderr);
        Assert.Equal("bob's version\n", await platform.BodyThroughRouterAsync(app));

        // The app's activity says who did what.
        var events = await alice.Ok(repo, "apps:events");
        Assert.Matches($@"(?m)^\S+Z  {alice.Username}\s+{alice.Username} removed {bob.Username} as a collaborator$", events);
        Assert.Matches($@"(?m)^\S+Z  {bob.Username}\s+{bob.Username} added FROM_BOB \(v4\)$", events);
        Assert.Matches($@"(?m)^\S+Z  {bob.Username}\s+{bob.Username} deployed \w{{7}} \(v3\)$", events);
        Assert.Matches($@"(?m)^\S+Z  {alice.Username}\s+{alice.Username} added {bob.Username} as a collaborator$", events);
        Assert.Matches($@"(?m)^\S+Z  {alice.Username}\s+{alice.Username} created {app}$", events);
        var json = await alice.JsonAsync(repo, "apps:events", "-n", "2");
        Assert.Equal(2, json.GetArrayLength());
        Assert.Equal(alice.Username, json[0].GetProperty("user").GetString());
    }

    [Fact]
    public async Task Administrators_see_every_user_and_can_make_others_administrators()
    {
        var carol = await platform.RegisterAsync(PlatformFixture.NewAppName("carol"));
        var admin = platform.Admin;

        var refused = await carol.Fails(carol.Home, "users:list");
        Assert.Equal("Error: You do not have permission to do this. Only administrators can do this.\n", refused);

        var users = await admin.Ok(admin.Home, "users:list");
        Assert.StartsWith("=== Users (* = administrator)\n", users);
        Assert.Contains("\n* admin\n", users);
        Assert.Contains($"\n  {carol.Username}\n", users);
        Assert.Contains((await admin.JsonAsync(admin.Home, "users")).EnumerateArray(), u => u.GetProperty("username").GetString() == carol.Username);

        Assert.Equal($"Adding {carol.Username} to the administrators... done\n", await admin.Ok(admin.Home, "perms:create", carol.Username, "--admin"));
        Assert.Contains($"\n{carol.Username}\n", await admin.Ok(admin.Home, "perms:list", "--admin"));
        Assert.Contains($"\n* {carol.Username}\n", await carol.Ok(carol.Home, "users"));

        // An administrator may act on anyone's app.
        var (alice, app, _) = await platform.DeploySampleAppAsync("admined", "admined app");
        Assert.StartsWith($"Setting config vars and restarting {app}... done, v3", await carol.Ok(carol.Home, "config:set", "-a", app, "BY_ADMIN=1"));
        Assert.Contains(app, await carol.Ok(carol.Home, "apps"));

        await admin.Ok(admin.Home, "perms:delete", carol.Username, "--admin");
        Assert.DoesNotContain($"\n{carol.Username}\n", await admin.Ok(admin.Home, "perms", "--admin"));
        Assert.Contains("permission", await carol.Fails(carol.Home, "users"));
        Assert.Contains("does not exist, or you do not have access", await carol.Fails(carol.Home, "config", "-a", app));
        Assert.Contains($"BY_ADMIN", await alice.Ok(alice.Home, "config", "-a", app));
    }

    [Fact]
    public async Task Passwords_change_and_a_regenerated_token_replaces_the_old_one()
    {
        var dave = await platform.RegisterAsync(PlatformFixture.NewAppName("dave"));

        Assert.Equal("Changing your password... done\n", await dave.Ok(dave.Home, "auth:passwd", "--password", dave.Password, "--new-password", "n3w-s3cret"));
        Assert.Contains("Unable to log in with provided credentials",
            await dave.Fails(dave.Home, "auth:login", platform.ControllerUrl, "--username", dave.Username, "--password", dave.Password));
        Assert.Equal($"Logged in as {dave.Username}\n",
            await dave.Ok(dave.Home, "auth:login", platform.ControllerUrl, "--username", dave.Username, "--password", "n3w-s3cret"));
        Assert.Contains("Only an administrator can change another user's password",
            await dave.Fails(dave.Home, "auth:passwd", "--username", "admin", "--new-password", "hijacked"));

        var profile = Path.Combine(dave.Home, ".paas", "client.json");
        var oldProfile = await File.ReadAllTextAsync(profile);
        Assert.Equal("Token regenerated\n", await dave.Ok(dave.Home, "auth:regenerate"));
        Assert.NotEqual(oldProfile, await File.ReadAllTextAsync(profile));
        Assert.Equal($"You are {dave.Username} at {platform.ControllerUrl}\n", await dave.Ok(dave.Home, "whoami"));
        Assert.Equal(dave.Username, (await dave.JsonAsync(dave.Home, "whoami")).GetProperty("username").GetString());

        // The old token, as another machine of dave's still has it, stops working.
        var newProfile = await File.ReadAllTextAsync(profile);
        await File.WriteAllTextAsync(profile, oldProfile);
        Assert.Contains("Unauthorized: your token is missing or no longer valid", await dave.Fails(dave.Home, "apps"));
        await File.WriteAllTextAsync(profile, newProfile);
        await dave.Ok(dave.Home, "apps");
    }

    [Fact]
    public async Task An_account_with_apps_cannot_be_cancelled_until_they_are_transferred()
    {
        var erin = await platform.RegisterAsync(PlatformFixture.NewAppName("erin"));
        var frank = await platform.RegisterAsync(PlatformFixture.NewAppName("frank"));
        var app = PlatformFixture.NewAppName("handover");
        await erin.Ok(erin.Home, "apps:create", app, "--no-remote");

        var refused = await erin.Fails(erin.Home, "auth:cancel", "--yes");
        Assert.Contains($"{erin.Username} still has applications assigned. Delete or transfer ownership of {app} first", refused);

        Assert.Equal($"Transferring {app} to {frank.Username}... done\n", await erin.Ok(erin.Home, "apps:transfer", frank.Username, "-a", app));
        Assert.Matches($@"(?m)^owner:\s+{frank.Username}$", await frank.Ok(frank.Home, "apps:info", "-a", app));
        Assert.DoesNotContain(app, await erin.Ok(erin.Home, "apps"));
        Assert.Contains($"{erin.Username} transferred {app} from {erin.Username} to {frank.Username}", await frank.Ok(frank.Home, "apps:events", "-a", app));

        Assert.Equal($"Cancelling the account {erin.Username}... done\nLogged out\n", await erin.Ok(erin.Home, "auth:cancel", "--yes"));
        Assert.Contains("Not logged in", await erin.Fails(erin.Home, "apps"));
        Assert.Contains("Unable to log in",
            await erin.Fails(erin.Home, "auth:login", platform.ControllerUrl, "--username", erin.Username, "--password", erin.Password));
        Assert.DoesNotContain(erin.Username, await platform.Admin.Ok(platform.Admin.Home, "users"));
    }

    [Fact]
    public async Task SSH_keys_are_added_listed_and_removed()
    {
        var gina = await platform.RegisterAsync(PlatformFixture.NewAppName("gina"));
        var ssh = Path.Combine(gina.Home, ".ssh");
        Directory.CreateDirectory(ssh);
        var keyFile = Path.Combine(ssh, "id_ed25519");
        (await Processes.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "gina@laptop", "-f", keyFile])).ShouldSucceed("ssh-keygen");
        var md5 = (await Processes.RunAsync("ssh-keygen", ["-l", "-E", "md5", "-f", keyFile + ".pub"])).ShouldSucceed("ssh-keygen -l").Stdout.Split(' ')[1];

        Assert.Equal("Uploading id_ed25519.pub as gina@laptop... done\n", await gina.Ok(gina.Home, "keys:add"));
        var list = await gina.Ok(gina.Home, "keys");
        Assert.StartsWith($"=== {gina.Username} Keys\n", list);
        Assert.Matches($@"(?m)^gina@laptop\s+ssh-ed25519 AAAA\S+\.\.\.\S+ gina@laptop\s+{md5["MD5:".Length..]}$", list);
        var json = await gina.JsonAsync(gina.Home, "keys");
        Assert.Equal((await File.ReadAllTextAsync(keyFile + ".pub")).Trim(), json[0].GetProperty("public").GetString()!.Trim());

        Assert.Contains("already in use", await gina.Fails(gina.Home, "keys:add", keyFile + ".pub", "--name", "again"));
        Assert.Contains("is a private key", await gina.Fails(gina.Home, "keys:add", keyFile));
        var garbage = Path.Combine(gina.Home, "garbage.pub");
        await File.WriteAllTextAsync(garbage, "ssh-ed25519 not-base64!! gina@laptop\n");
        Assert.Contains("not valid base64", await gina.Fails(gina.Home, "keys:add", garbage));

        Assert.Equal("Removing key gina@laptop... done\n", await gina.Ok(gina.Home, "keys:remove", "gina@laptop"));
        Assert.EndsWith("No keys (add yours with: paas keys:add)\n", await gina.Ok(gina.Home, "keys"));
        Assert.Equal(0, (await gina.JsonAsync(gina.Home, "keys")).GetArrayLength());
    }
}
