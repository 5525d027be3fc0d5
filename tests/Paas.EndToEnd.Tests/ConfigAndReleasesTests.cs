using System.Text.Json;
using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>Config vars and releases as a user lives them: every change a release, the running app sees it, rollbacks bring the past back.</summary>
[Collection(CommandsCollection.Name)]
public sealed class ConfigAndReleasesTests(EndToEndPlatform platform)
{
    // Values people really keep in config: multi-line secrets, URLs full of '=' and '&', any script.
    private const string Multiline = "-----BEGIN KEY-----\nabc=\n-----END KEY-----";
    private const string WithEquals = "postgres://u:p@db/app?sslmode=require&x=a=b";
    private const string Unicode = "héllo wörld ✓ 🚀 日本";

    [Fact]
    public async Task Config_set_and_unset_make_releases_that_the_running_app_sees()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("conf", "config app");

        var set = await alice.Ok(repo, "config:set", "GREETING=hello", $"MULTI={Multiline}", $"DATABASE_URL={WithEquals}", $"UNI={Unicode}");
        Assert.StartsWith($"Setting config vars and restarting {app}... done, v3\n", set);
        Assert.Contains($"=== {app} Config\n", set);
        Assert.Matches(@"(?m)^GREETING\s+hello$", set);
        Assert.Matches($@"(?m)^DATABASE_URL\s+{System.Text.RegularExpressions.Regex.Escape(WithEquals)}$", set);

        // The web process sees each value exactly, through the router.
        await platform.WaitForEnvAsync(app, "GREETING", "hello");
        Assert.Equal(Multiline, await platform.EnvThroughRouterAsync(app, "MULTI"));
        Assert.Equal(WithEquals, await platform.EnvThroughRouterAsync(app, "DATABASE_URL"));
        Assert.Equal(Unicode, await platform.EnvThroughRouterAsync(app, "UNI"));
        // ... and so does a one-off process.
        var run = await alice.PaasIn(repo, "run", "printf '%s|' \"$GREETING\" \"$MULTI\" \"$UNI\"");
        Assert.Equal(0, run.ExitCode);
        // (The test's reader ends the last line; paas itself prints what the process printed, no newline added.)
        Assert.Equal($"hello|{Multiline}|{Unicode}|\n", run.Stdout);

        var json = await alice.JsonAsync(repo, "config:list");
        Assert.Equal(Multiline, json.GetProperty("MULTI").GetString());
        Assert.Equal(Unicode, json.GetProperty("UNI").GetString());

        var unset = await alice.Ok(repo, "config:unset", "GREETING");
        Assert.StartsWith($"Unsetting GREETING and restarting {app}... done, v4\n", unset);
        Assert.DoesNotContain("GREETING", unset[unset.IndexOf("===", StringComparison.Ordinal)..]);
        await platform.WaitForEnvAsync(app, "GREETING", "");
        Assert.Equal(WithEquals, await platform.EnvThroughRouterAsync(app, "DATABASE_URL"));

        var list = await alice.Ok(repo, "config");
        Assert.DoesNotContain("GREETING", list);
        Assert.Matches(@"(?m)^UNI\s+" + Unicode + "$", list);

        var releases = await alice.Ok(repo, "releases");
        Assert.Matches($@"(?m)^v4\s+\S+\s+{alice.Username} removed GREETING$", releases);
        Assert.Matches($@"(?m)^v3\s+\S+\s+{alice.Username} added GREETING, MULTI, DATABASE_URL, UNI$", releases);

        // Bad input changes nothing.
        Assert.Contains("not a valid environment variable name", await alice.Fails(repo, "config:set", "1BAD=x"));
        Assert.Contains("Cannot unset NOPE: it is not set", await alice.Fails(repo, "config:unset", "NOPE"));
        Assert.Equal(4, (await alice.JsonAsync(repo, "releases"))[0].GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Config_pull_writes_a_dotenv_file_and_config_push_reads_it_back_unchanged()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("dotenv", "dotenv app");

        // A .env as people write them: comments, export, both quotes, escapes, values spanning lines.
        await File.WriteAllTextAsync(Path.Combine(repo, ".env"), """
            # production settings
            export GREETING="say \"hi\""
            PEM="-----BEGIN KEY-----
            abc=
            -----END KEY-----"
            LITERAL='$HOME \n stays'
            DATABASE_URL=postgres://u:p@db/app?sslmode=require&x=a=b   # the main database
            UNI="héllo wörld ✓ 🚀 日本"

            """);
        var push = await alice.Ok(repo, "config:push");
        Assert.StartsWith($"Setting config vars and restarting {app}... done, v3\n", push);

        var expected = new Dictionary<string, string>
        {
            ["GREETING"] = "say \"hi\"",
            ["PEM"] = Multiline,
            ["LITERAL"] = "$HOME \\n stays",
            ["DATABASE_URL"] = WithEquals,
            ["UNI"] = Unicode,
        };
        Assert.Equal(expected.OrderBy(kv => kv.Key), ConfigOf(await alice.JsonAsync(repo, "config")).OrderBy(kv => kv.Key));
        foreach (var (key, value) in expected)
            Assert.Equal(value, await platform.WaitForEnvAsync(app, key, value));

        // Pulled into a fresh file, then pushed into another app: the same config arrives.
        File.Delete(Path.Combine(repo, ".env"));
        var pull = await alice.Ok(repo, "config:pull");
        Assert.Equal($"Wrote 5 config vars of {app} to .env\n", pull);
        var pulled = Path.Combine(repo, ".env");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pulled));
        var text = await File.ReadAllTextAsync(pulled);
        Assert.Contains("PEM=\"-----BEGIN KEY-----\\nabc=\\n-----END KEY-----\"\n", text);
        Assert.Contains("GREETING=\"say \\\"hi\\\"\"\n", text);

        var copy = PlatformFixture.NewAppName("dotenv-copy");
        await alice.Ok(repo, "apps:create", copy, "--no-remote");
        var pushed = await alice.Ok(repo, "config:push", "-a", copy);
        Assert.StartsWith($"Setting config vars and restarting {copy}... done, v2\n", pushed);
        Assert.Equal(expected.OrderBy(kv => kv.Key), ConfigOf(await alice.JsonAsync(repo, "config", "-a", copy)).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Rollback_makes_a_new_release_that_serves_an_older_build_and_config()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("rollback", "first build");
        await alice.Ok(repo, "config:set", "GREETING=one");                                   // v3
        var firstSha = (await alice.Git(repo, "rev-parse", "--short=7", "HEAD")).Stdout.Trim();
        await SampleApp.PushNewTextAsync(alice, repo, "second build");                           // v4
        await alice.Ok(repo, "config:set", "GREETING=two");                                   // v5
        await platform.WaitForEnvAsync(app, "GREETING", "two");
        await platform.WaitForBodyAsync(app, "second build");

        // Default: the release before the current one.
        var back = await alice.Ok(repo, "releases:rollback");
        Assert.Equal("Rolling back one release... done, v6\n", back);
        await platform.WaitForEnvAsync(app, "GREETING", "one");
        Assert.Equal("second build\n", await platform.BodyThroughRouterAsync(app));

        // An explicit version: the first build, before any config.
        var explicitly = await alice.Ok(repo, "rollback", "v2");
        Assert.Equal("Rolling back to v2... done, v7\n", explicitly);
        await platform.WaitForBodyAsync(app, "first build");
        Assert.Equal("", await platform.EnvThroughRouterAsync(app, "GREETING"));

        var releases = await alice.Ok(repo, "releases");
        Assert.Matches($@"(?m)^v7\s+\S+\s+{alice.Username} rolled back to v2$", releases);
        Assert.Matches($@"(?m)^v6\s+\S+\s+{alice.Username} rolled back to v4$", releases);
        Assert.Matches($@"(?m)^v5\s+\S+\s+{alice.Username} changed GREETING$", releases);
        Assert.Matches($@"(?m)^v2\s+\S+\s+{alice.Username} deployed {firstSha}$", releases);

        // The new release copies v2's build and config: the same uuids.
        var v2 = await alice.JsonAsync(repo, "releases:info", "v2");
        var v7 = await alice.JsonAsync(repo, "releases:info", "v7");
        Assert.Equal(v2.GetProperty("build").GetString(), v7.GetProperty("build").GetString());
        Assert.Equal(v2.GetProperty("config").GetString(), v7.GetProperty("config").GetString());
        var info = await alice.Ok(repo, "releases:info", "v7");
        Assert.Contains($"=== {app} Release v7\n", info);
        Assert.Matches($@"(?m)^summary:\s+{alice.Username} rolled back to v2$", info);
        Assert.Matches(@"(?m)^failed:\s+no$", info);

        Assert.Contains($"{app} has no release v99", await alice.Fails(repo, "releases:rollback", "v99"));
        Assert.Equal(7, (await alice.JsonAsync(repo, "releases"))[0].GetProperty("version").GetInt32());
    }

    private static Dictionary<string, string> ConfigOf(JsonElement json) =>
        json.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
}
