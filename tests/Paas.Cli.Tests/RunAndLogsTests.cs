using System.Text;
using Microsoft.AspNetCore.Http;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>apps:run and apps:logs: output shows as it arrives, exit codes pass through, -f runs until cancelled.</summary>
public sealed class RunAndLogsTests : CommandTests
{
    private const string RunPath = "/v2/apps/demo/run";
    // Generous: on a loaded CI machine the first chunk alone can take seconds to reach the CLI's output.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Run_prints_each_chunk_as_it_arrives_and_exits_with_the_commands_code()
    {
        // The handler may run before Start's result is stored (a loaded machine can pause the test between the two).
        var started = new TaskCompletionSource<RunningCli>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstChunkSeenBeforeSecondWasSent = false;
        Controller.OnHandler("POST", RunPath, async context =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await WriteLineAsync(context, """{"output":"first chunk\n"}""");
            // The CLI must show this before the command goes on; nothing more is sent until it does.
            firstChunkSeenBeforeSecondWasSent = await (await started.Task).Stdout.WaitForAsync("first chunk\n", Patience);
            await WriteLineAsync(context, """{"output":"second "}""");
            await WriteLineAsync(context, """{"output":"chunk\n"}""");
            await WriteLineAsync(context, """{"exit_code":3}""");
        });

        var run = Machine.Start(["run", "-a", "demo", "rake", "db:migrate", "--trace"]);
        started.SetResult(run);
        var result = await run.Completion;

        Assert.True(firstChunkSeenBeforeSecondWasSent, "the first chunk did not reach stdout while the command was still running");
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("first chunk\nsecond chunk\n", result.Stdout);
        Assert.Equal("", result.Stderr);
        var request = Assert.Single(Controller.Requests);
        Assert.Equal("""{"command":"rake db:migrate --trace"}""", request.Body);
        Assert.Equal("application/x-ndjson", request.Header("Accept"));
    }

    [Fact]
    public async Task Run_exits_0_when_the_command_succeeds()
    {
        Controller.OnHandler("POST", RunPath, async context =>
        {
            context.Response.ContentType = "application/x-ndjson; charset=utf-8";
            await WriteLineAsync(context, """{"output":"grüße 🚀\n"}""");
            await WriteLineAsync(context, """{"exit_code":0}""");
        });

        var result = await Machine.RunAsync("apps:run", "-a", "demo", "--", "echo", "hi");

        Succeeded(result);
        Assert.Equal("grüße 🚀\n", result.Stdout);
        Assert.Equal("""{"command":"echo hi"}""", Assert.Single(Controller.Requests).Body);
    }

    [Fact]
    public async Task Run_accepts_a_plain_json_answer_too()
    {
        Controller.On("POST", RunPath, 200, new { exit_code = 3, output = "all at once\n" });

        var result = await Machine.RunAsync("run", "-a", "demo", "false");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("all at once\n", result.Stdout);
    }

    [Theory]
    [InlineData(300, 255)]
    [InlineData(-1, 255)]
    [InlineData(255, 255)]
    public async Task Run_exit_codes_outside_one_byte_become_255(int exitCode, int expected)
    {
        Controller.On("POST", RunPath, 200, new { exit_code = exitCode, output = "" });

        var result = await Machine.RunAsync("run", "-a", "demo", "true");

        Assert.Equal(expected, result.ExitCode);
    }

    [Fact]
    public async Task Run_reports_a_failure_before_the_process_starts_as_an_error()
    {
        Controller.On("POST", RunPath, 409, new { title = "Conflict", status = 409, detail = "demo has no build yet. Push code first (git push)." });

        var result = await Machine.RunAsync("run", "-a", "demo", "ls");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("Error: demo has no build yet. Push code first (git push).\n", result.Stderr);
    }

    [Fact]
    public async Task Run_that_loses_the_stream_before_the_exit_code_is_an_error()
    {
        Controller.OnHandler("POST", RunPath, async context =>
        {
            context.Response.ContentType = "application/x-ndjson";
            await WriteLineAsync(context, """{"output":"partial\n"}""");
        });

        var result = await Machine.RunAsync("run", "-a", "demo", "ls");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("partial\n", result.Stdout);
        Assert.Equal("Error: The controller ended the answer before the command finished (no exit code)\n", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "run", "ls", "-la" }, new[] { "run", "--", "ls", "-la" })]
    [InlineData(new[] { "run", "-a", "demo", "ls", "-a" }, new[] { "run", "-a", "demo", "--", "ls", "-a" })]
    [InlineData(new[] { "apps:run", "--app=demo", "ls" }, new[] { "apps:run", "--app=demo", "--", "ls" })]
    [InlineData(new[] { "run", "-a", "demo", "--", "ls" }, new[] { "run", "-a", "demo", "--", "ls" })]
    [InlineData(new[] { "run", "--help" }, new[] { "run", "--help" })]
    [InlineData(new[] { "config:set", "A=-x" }, new[] { "config:set", "A=-x" })]
    public void The_words_of_the_command_are_not_options_of_paas(string[] args, string[] expected) =>
        Assert.Equal(expected, Commands.AppsCommands.SeparateRunCommand(args));

    [Fact]
    public async Task Logs_asks_for_the_newest_lines_and_prints_them_as_they_are()
    {
        const string lines = "2026-11-23T10:00:00Z demo[web.1]: listening on 5000\n2026-11-23T10:00:01Z demo[controller]: scaled web=1\n";
        Controller.OnRaw("GET", "/v2/apps/demo/logs?log_lines=100", 200, lines, "text/plain");
        Controller.OnRaw("GET", "/v2/apps/demo/logs?log_lines=20", 200, lines, "text/plain");

        var defaults = await Machine.RunAsync("logs", "-a", "demo");
        var twenty = await Machine.RunAsync("apps:logs", "-n", "20", "-a", "demo");

        Succeeded(defaults);
        Assert.Equal(lines, defaults.Stdout);
        Succeeded(twenty);
        Assert.Equal(["GET /v2/apps/demo/logs?log_lines=100", "GET /v2/apps/demo/logs?log_lines=20"], RequestLines);
    }

    [Fact]
    public async Task Logs_follow_streams_until_cancelled_and_then_exits_0()
    {
        var started = new TaskCompletionSource<RunningCli>(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstLineSeenBeforeSecondWasSent = false;
        Controller.OnHandler("GET", "/v2/apps/demo/logs?log_lines=5&follow=true", async context =>
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await WriteAsync(context, "10:00:00 demo[web.1]: first\n");
            firstLineSeenBeforeSecondWasSent = await (await started.Task).Stdout.WaitForAsync("first\n", Patience);
            await WriteAsync(context, "10:00:01 demo[web.1]: sec");
            await WriteAsync(context, "ond\n");
            await Task.Delay(Timeout.Infinite, context.RequestAborted); // a followed log never ends by itself
        });
        using var ctrlC = new CancellationTokenSource();

        var logs = Machine.Start(["logs", "-f", "-n", "5", "-a", "demo"], ctrlC.Token);
        started.SetResult(logs);
        Assert.True(await logs.Stdout.WaitForAsync("second\n", Patience), logs.Stdout.ToString());
        await ctrlC.CancelAsync();
        var result = await logs.Completion.WaitAsync(Patience);

        Assert.True(firstLineSeenBeforeSecondWasSent);
        Succeeded(result);
        Assert.Equal("10:00:00 demo[web.1]: first\n10:00:01 demo[web.1]: second\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public async Task Logs_of_an_unknown_app_show_the_controllers_error()
    {
        Controller.On("GET", "/v2/apps/nope/logs?log_lines=100", 404, new { title = "Not Found", status = 404, detail = "No App matches the given query." });

        var result = await Machine.RunAsync("logs", "-a", "nope");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: No App matches the given query.\n", result.Stderr);
    }

    private static Task WriteLineAsync(HttpContext context, string json) => WriteAsync(context, json + "\n");

    private static async Task WriteAsync(HttpContext context, string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text));
        await context.Response.Body.FlushAsync();
    }
}
