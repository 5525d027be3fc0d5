using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>config:list, config:set, config:unset, config:pull, config:push against a canned controller.</summary>
public sealed class ConfigCommandsTests : CommandTests
{
    private const string ConfigPath = "/v2/apps/demo/config/";

    /// <summary>Values that break naive quoting: '=', quotes, backslashes, line breaks, '#', unicode, spaces at the ends.</summary>
    private static readonly Dictionary<string, string> TrickyValues = new()
    {
        ["DATABASE_URL"] = "postgres://u:p@db/app?sslmode=require&x=y",
        ["QUOTES"] = "she said \"hi\" and 'bye'",
        ["BACKSLASHES"] = @"C:\path\to\n\file\\",
        ["MULTILINE"] = "-----BEGIN KEY-----\nabc\r\ndef\n-----END KEY-----\n",
        ["HASH"] = "value # not a comment",
        ["UNICODE"] = "grüße, 日本, 🚀",
        ["SPACES"] = "  padded  ",
        ["EMPTY"] = "",
        ["DOLLAR"] = "$HOME and ${PATH}",
    };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Controller.On("GET", ConfigPath, 200, Config(new Dictionary<string, string>
        {
            ["PORT"] = "5000",
            ["DATABASE_URL"] = "postgres://db/app?a=b",
            ["GREETING"] = "hello\nworld",
        }));
    }

    private static object Config(IReadOnlyDictionary<string, string> values, int? release = null) => new
    {
        uuid = "c0c0c0c0-0000-0000-0000-000000000001",
        app = "demo",
        owner = "alice",
        values,
        memory = new Dictionary<string, string>(),
        cpu = new Dictionary<string, string>(),
        tags = new Dictionary<string, string>(),
        healthcheck = new Dictionary<string, object>(),
        created = "2026-11-23T09:00:00Z",
        updated = "2026-11-23T10:00:00Z",
        release,
    };

    [Fact]
    public async Task Config_lists_the_values_sorted_and_aligned_verbatim()
    {
        var result = await Machine.RunAsync("config", "-a", "demo");

        Succeeded(result);
        Assert.Equal(["GET /v2/apps/demo/config/"], RequestLines);
        Assert.Equal(
            """
            === demo Config
            DATABASE_URL  postgres://db/app?a=b
            GREETING      hello
            world
            PORT          5000

            """,
            result.Stdout);
    }

    [Fact]
    public async Task Oneline_quotes_for_the_shell_only_what_needs_it()
    {
        Controller.On("GET", ConfigPath, 200, Config(new Dictionary<string, string> { ["A"] = "plain-value_1", ["B"] = "it's two words" }));

        var result = await Machine.RunAsync("config:list", "--oneline", "-a", "demo");

        Succeeded(result);
        Assert.Equal("A=plain-value_1 B='it'\\''s two words'\n", result.Stdout);
    }

    [Fact]
    public async Task Config_json_is_the_values_object()
    {
        var result = await Machine.RunAsync("config:list", "--json", "-a", "demo");

        using var values = JsonDocument.Parse(result.Stdout);
        Assert.Equal("hello\nworld", values.RootElement.GetProperty("GREETING").GetString());
        Assert.Equal(3, values.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task Set_splits_at_the_first_equals_posts_the_values_and_prints_the_release()
    {
        Controller.On("POST", ConfigPath, 201, Config(new Dictionary<string, string> { ["URL"] = "a=b=c", ["NAME"] = "zoë" }, release: 7));

        var result = await Machine.RunAsync("config:set", "URL=a=b=c", "NAME=zoë", "LINES=one\ntwo", "-a", "demo");

        Succeeded(result);
        Assert.Equal(
            """{"values":{"URL":"a=b=c","NAME":"zoë","LINES":"one\ntwo"}}""",
            Compact(BodyOf("POST", ConfigPath)));
        Assert.Equal(
            """
            Setting config vars and restarting demo... done, v7

            === demo Config
            NAME  zoë
            URL   a=b=c

            """,
            result.Stdout);
    }

    [Theory]
    [InlineData("NOEQUALS")]
    [InlineData("=value")]
    public async Task Set_refuses_an_argument_that_is_not_key_equals_value(string argument)
    {
        var result = await Machine.RunAsync("config:set", "GOOD=1", argument, "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Error: \"{argument}\" is not KEY=VALUE (e.g. paas config:set DATABASE_URL=postgres://db/app)\n", result.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Set_shows_the_controllers_refusal()
    {
        Controller.On("POST", ConfigPath, 400, Problem(400, "Config key '1BAD' is invalid: use letters, digits and underscores."));

        var result = await Machine.RunAsync("config:set", "1BAD=x", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Setting config vars and restarting demo... failed\n", result.Stdout);
        Assert.Equal("Error: Config key '1BAD' is invalid: use letters, digits and underscores.\n", result.Stderr);
    }

    [Fact]
    public async Task Unset_posts_nulls()
    {
        Controller.On("POST", ConfigPath, 201, Config(new Dictionary<string, string> { ["PORT"] = "5000" }, release: 8));

        var result = await Machine.RunAsync("config:unset", "DATABASE_URL", "GREETING", "-a", "demo");

        Succeeded(result);
        Assert.Equal("""{"values":{"DATABASE_URL":null,"GREETING":null}}""", Compact(BodyOf("POST", ConfigPath)));
        Assert.StartsWith("Unsetting DATABASE_URL, GREETING and restarting demo... done, v8\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_writes_a_private_dotenv_file_with_escaped_values()
    {
        var result = await Machine.RunAsync("config:pull", "-a", "demo");

        Succeeded(result);
        Assert.Equal("Wrote 3 config vars of demo to .env\n", result.Stdout);
        var path = Path.Combine(Machine.WorkingDirectory, ".env");
        Assert.Equal("DATABASE_URL=\"postgres://db/app?a=b\"\nGREETING=\"hello\\nworld\"\nPORT=\"5000\"\n", File.ReadAllText(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task Pull_into_an_existing_file_keeps_what_only_the_file_has_unless_overwrite()
    {
        var path = Path.Combine(Machine.WorkingDirectory, "local.env");
        File.WriteAllText(path, "# mine\nLOCAL_ONLY=keep me\nPORT=3000\n");

        var merged = await Machine.RunAsync("config:pull", "--output", "local.env", "-a", "demo");
        var mergedText = File.ReadAllText(path);
        var replaced = await Machine.RunAsync("config:pull", "--output", "local.env", "--overwrite", "-a", "demo");

        Succeeded(merged);
        Assert.Equal("Wrote 3 config vars of demo to local.env\nKept 1 var that demo does not have: LOCAL_ONLY\n", merged.Stdout);
        Assert.Equal(
            "LOCAL_ONLY=\"keep me\"\nPORT=\"5000\"\nDATABASE_URL=\"postgres://db/app?a=b\"\nGREETING=\"hello\\nworld\"\n",
            mergedText);
        Succeeded(replaced);
        Assert.DoesNotContain("LOCAL_ONLY", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Push_reads_comments_export_quotes_and_escapes()
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, ".env"), """
            # a comment, then a blank line

            export EXPORTED=yes
            PLAIN = spaced value   # trailing comment
            URL=http://host/#fragment
            SINGLE='literal \n $HOME \' done'
            DOUBLE="tab\there \"quoted\" back\\slash"
            MULTI="first
            second"
            EMPTY=
            """);
        Controller.On("POST", ConfigPath, 201, Config(new Dictionary<string, string>(), release: 9));

        var result = await Machine.RunAsync("config:push", "-a", "demo");

        Succeeded(result);
        var values = BodyOf("POST", ConfigPath).GetProperty("values");
        Assert.Equal(
            new Dictionary<string, string?>
            {
                ["EXPORTED"] = "yes",
                ["PLAIN"] = "spaced value",
                ["URL"] = "http://host/#fragment",
                ["SINGLE"] = "literal \\n $HOME ' done",
                ["DOUBLE"] = "tab\there \"quoted\" back\\slash",
                ["MULTI"] = "first\nsecond",
                ["EMPTY"] = "",
            },
            values.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()));
        Assert.StartsWith("Setting config vars and restarting demo... done, v9\n", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_then_push_gives_the_app_exactly_its_values_back()
    {
        Controller.On("GET", ConfigPath, 200, Config(TrickyValues));
        Controller.On("POST", ConfigPath, 201, Config(TrickyValues, release: 10));

        var pull = await Machine.RunAsync("config:pull", "-a", "demo");
        var push = await Machine.RunAsync("config:push", "-a", "demo");

        Succeeded(pull);
        Succeeded(push);
        var pushed = BodyOf("POST", ConfigPath).GetProperty("values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
        Assert.Equal(TrickyValues.OrderBy(p => p.Key), pushed.OrderBy(p => p.Key)!);
    }

    [Fact]
    public async Task Push_without_the_file_says_so()
    {
        var result = await Machine.RunAsync("config:push", "--path", "missing.env", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Error: There is no missing.env to push", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Controller.Requests);
    }

    [Theory]
    [InlineData("GOOD=1\nthis line has no equals\n", "Error: .env line 2: expected KEY=value, found \"this line has no equals\"\n")]
    [InlineData("A=1\nB=\"never closed\nC=3\n", "Error: .env line 2: the value's \" quote is never closed\n")]
    [InlineData("A='x' trailing\n", "Error: .env line 1: unexpected text after the closing quote\n")]
    [InlineData("# only a comment\n", "Error: .env has no variables to push\n")]
    public async Task Push_refuses_a_file_it_cannot_read_exactly(string text, string error)
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, ".env"), text);

        var result = await Machine.RunAsync("config:push", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(error, result.Stderr);
        Assert.Empty(Controller.Requests);
    }
}
