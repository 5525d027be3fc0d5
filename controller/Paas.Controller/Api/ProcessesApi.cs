using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Paas.Controller.Services;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>/v2/apps/{id}/pods, scale, run and logs: the app's processes.</summary>
public static class ProcessesApi
{
    public sealed record RunRequest(string? Command);

    public static IEndpointRouteBuilder MapProcessesApi(this IEndpointRouteBuilder routes)
    {
        var app = routes.MapGroup("/v2/apps/{id}").WithTags("processes");

        app.MapGet("/pods", (string id, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
            ListAsync(id, null, context, apps, processes, ct));
        app.MapGet("/pods/{type}", (string id, string type, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
            ListAsync(id, type, context, apps, processes, ct));

        app.MapPost("/scale", async (string id, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            await processes.ScaleAsync(caller, target, ReadCounts(await context.Request.ReadJsonObjectAsync()), ct);
            return Results.NoContent();
        });

        app.MapPost("/pods/restart", (string id, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
            RestartAsync(id, null, null, context, apps, processes, ct));
        app.MapPost("/pods/{type}/restart", (string id, string type, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
            RestartAsync(id, type, null, context, apps, processes, ct));
        app.MapPost("/pods/{type}/{name}/restart", (string id, string type, string name, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct) =>
            RestartAsync(id, type, name, context, apps, processes, ct));

        app.MapPost("/run", RunAsync);
        app.MapGet("/logs", LogsAsync);
        return routes;
    }

    private static async Task<IResult> ListAsync(string id, string? type, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct)
    {
        var target = await apps.GetAsync(context.Caller(), id, ct);
        var list = await processes.ListAsync(target, type, ct);
        return Results.Json(list.Select(PodDto.From).ToList().PageOf(context.Request));
    }

    private static async Task<IResult> RestartAsync(string id, string? type, string? name, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct)
    {
        var caller = context.Caller();
        var target = await apps.GetAsync(caller, id, ct);
        var restarted = await processes.RestartAsync(caller, target, type, name, ct);
        return Results.Json(restarted.Select(PodDto.From).ToList());
    }

    private static Dictionary<string, int> ReadCounts(JsonObject body) =>
        body.ToDictionary(kv => kv.Key, kv => kv.Value switch
        {
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => throw new ValidationFailedException(kv.Key, $"The count for {kv.Key} must be a whole number, e.g. {{\"{kv.Key}\": 2}}."),
        });

    /// <summary>
    /// Deis clients get {exit_code, output} once the command ends; clients that accept NDJSON get the
    /// output as it is written ({"output": chunk} lines) and {"exit_code": N} last.
    /// </summary>
    private static async Task RunAsync(string id, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct)
    {
        var caller = context.Caller();
        var target = await apps.GetAsync(caller, id, ct);
        var command = (await context.Request.ReadJsonAsync<RunRequest>())?.Command;
        var streaming = context.Request.Headers.Accept.Any(a => a?.Contains("application/x-ndjson", StringComparison.OrdinalIgnoreCase) == true);
        if (!streaming)
        {
            var output = new StringBuilder();
            var code = await processes.RunAsync(caller, target, command, chunk => { output.Append(chunk); return Task.CompletedTask; }, ct);
            await context.Response.WriteAsJsonAsync(new { exit_code = code, output = output.ToString() }, ct);
            return;
        }
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var started = false;
        async Task Write(object line)
        {
            if (!started)
            {
                context.Response.ContentType = "application/x-ndjson";
                started = true;
            }
            await context.Response.WriteAsync(JsonSerializer.Serialize(line) + "\n", ct);
            await context.Response.Body.FlushAsync(ct);
        }
        var exit = await processes.RunAsync(caller, target, command, chunk => Write(new { output = chunk }), ct);
        await Write(new { exit_code = exit });
    }

    /// <summary>Plain text, oldest first; with follow=true the response stays open and streams new lines.</summary>
    private static async Task LogsAsync(string id, HttpContext context, AppService apps, ProcessService processes, CancellationToken ct)
    {
        var target = await apps.GetAsync(context.Caller(), id, ct);
        var lines = context.Request.Query["log_lines"].ToString() is { Length: > 0 } raw
            ? int.TryParse(raw, CultureInfo.InvariantCulture, out var n) ? n : throw new ValidationFailedException("log_lines", $"log_lines must be a number, not '{raw}'.")
            : 100;
        var follow = context.Request.Query["follow"].ToString() is "true" or "1";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var wrote = false;
        try
        {
            await foreach (var line in processes.LogsAsync(target, lines, follow, ct))
            {
                if (!wrote)
                {
                    context.Response.ContentType = "text/plain; charset=utf-8";
                    wrote = true;
                }
                var time = line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
                foreach (var text in line.Text.TrimEnd('\n').Split('\n'))
                    await context.Response.WriteAsync($"{time} {target.Name}[{line.Source}]: {text.TrimEnd('\r')}\n", ct);
                if (follow) await context.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the client stopped following
        }
        if (!wrote && !context.Response.HasStarted) context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
