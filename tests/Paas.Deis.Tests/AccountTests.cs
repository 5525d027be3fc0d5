using System.Net;
using Paas.Deis.Tests.Support;
using Paas.Testing;

namespace Paas.Deis.Tests;

/// <summary>Accounts with the original deis CLI, in the admin_only registration mode a cluster install defaults to.</summary>
[Collection(DeisCollection.Name)]
public sealed class AccountTests(DeisPlatform platform)
{
    [SkippableFact]
    public async Task In_admin_only_mode_strangers_cannot_register_and_the_admin_registers_people()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var admin = await platform.DeisAdminAsync();

        var stranger = platform.NewDeisUser("stranger");
        var refused = await stranger.Deis("register", platform.DeisUrl, "--username=stranger", "--password=s3cret-pass", "--email=s@example.com");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Registration failed: Error: You do not have permission to perform this action.", refused.Stderr, StringComparison.Ordinal);

        var carol = await platform.RegisteredByAdminAsync("carol");
        var whoami = (await carol.Deis("whoami", "--all")).ShouldSucceed("deis whoami --all");
        Assert.Contains("ID: 0", whoami.Stdout, StringComparison.Ordinal);
        Assert.Contains("Username: carol", whoami.Stdout, StringComparison.Ordinal);
        Assert.Contains("Email: carol@example.com", whoami.Stdout, StringComparison.Ordinal);
        Assert.Contains("Is Superuser: false", whoami.Stdout, StringComparison.Ordinal);
        Assert.Contains($"You are carol at {platform.DeisUrl}", (await carol.Deis("whoami")).Stdout, StringComparison.Ordinal);

        var users = (await admin.Deis("users:list")).ShouldSucceed("deis users:list");
        Assert.Contains("*admin", users.Stdout, StringComparison.Ordinal);
        Assert.Contains("carol", users.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("stranger", users.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Wrong_credentials_and_regenerated_tokens_are_refused()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var dave = await platform.RegisteredByAdminAsync("dave");

        var wrong = await dave.Deis("login", platform.DeisUrl, "--username=dave", "--password=not-it");
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Error: Unable to log in with provided credentials.", wrong.Stderr, StringComparison.Ordinal);

        var before = dave.Token;
        Assert.Contains("Token Regenerated", (await dave.Deis("auth:regenerate")).ShouldSucceed("deis auth:regenerate").Stdout, StringComparison.Ordinal);
        Assert.NotEqual(before, dave.Token);
        using (var old = dave.Api(before))
            Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/v2/apps/")).StatusCode);
        (await dave.Deis("apps:list")).ShouldSucceed("deis apps:list with the new token");

        var passwd = await dave.Deis("auth:passwd", "--password=s3cret-pass", "--new-password=n3w-s3cret-pass");
        passwd.ShouldSucceed("deis auth:passwd");
        (await dave.Deis("login", platform.DeisUrl, "--username=dave", "--password=n3w-s3cret-pass")).ShouldSucceed("deis login with the new password");

        var cancelled = await dave.Deis("auth:cancel", "--username=dave", "--password=n3w-s3cret-pass", "--yes");
        cancelled.ShouldSucceed("deis auth:cancel");
        Assert.Contains("Account cancelled", cancelled.Stdout, StringComparison.Ordinal);
        var gone = await dave.Deis("login", platform.DeisUrl, "--username=dave", "--password=n3w-s3cret-pass");
        Assert.Contains("Unable to log in with provided credentials.", gone.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Keys_are_added_listed_refused_when_bad_or_taken_and_removed()
    {
        Skip.If(DeisPlatform.DeisBinary is null, "../shared/tools/deis is not on this machine");
        var erin = await platform.RegisteredByAdminAsync("erin");
        var key = await erin.MakeSshKeyAsync();

        var added = (await erin.Deis("keys:add", key)).ShouldSucceed("deis keys:add");
        Assert.Contains("done", added.Stdout, StringComparison.Ordinal);
        var listed = (await erin.Deis("keys:list")).ShouldSucceed("deis keys:list");
        Assert.Contains("erin@laptop ssh-ed25519", listed.Stdout, StringComparison.Ordinal);

        var again = await erin.Deis("keys:add", key);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("Error: Public Key is already in use", again.Stderr, StringComparison.Ordinal);

        // Passes the CLI's own check (key type, base64 alphabet) but does not decode: the controller's message comes back.
        var bad = Path.Combine(erin.Home, "bad.pub");
        await File.WriteAllTextAsync(bad, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5A erin@broken\n");
        var refused = await erin.Deis("keys:add", bad);
        Assert.Equal(1, refused.ExitCode);
        // The controller answers {"public": ["Key contains invalid base64 chars"]}; the deis SDK turns that into this.
        Assert.Contains("Error: A key is required", refused.Stderr, StringComparison.Ordinal);

        (await erin.Deis("keys:remove", "erin@laptop")).ShouldSucceed("deis keys:remove");
        Assert.DoesNotContain("erin@laptop", (await erin.Deis("keys:list")).Stdout, StringComparison.Ordinal);
    }
}
