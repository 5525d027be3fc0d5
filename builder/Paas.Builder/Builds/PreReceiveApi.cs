using System.Net;
using Microsoft.AspNetCore.Http.Features;
using Paas.Builder.Git;

namespace Paas.Builder.Builds;

/// <summary>
/// Called by a repository's pre-receive hook (on loopback, with the push's id): runs the build and
/// streams its output back line by line, ending with "::paas-exit N".
/// </summary>
public static class PreReceiveApi
{
    public static IEndpointRouteBuilder MapPreReceive(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(HookAddress.Path, async (HttpContext context, PushSessions sessions, BuildPipeline pipeline, ILoggerFactory loggers) =>
        {
            var remote = context.Connection.RemoteIpAddress;
            if (remote is null || !IPAddress.IsLoopback(remote))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            context.Response.ContentType = "text/plain; charset=utf-8";
            async Task Say(string line)
            {
                await context.Response.WriteAsync(line + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            var session = Guid.TryParse(context.Request.Headers["X-Paas-Push"], out var id) ? sessions.Find(id) : null;
            if (session is null)
            {
                await Say(" !     This push is not known to the builder; push again.");
                await Say("::paas-exit 1");
                return;
            }
            using var reader = new StreamReader(context.Request.Body);
            var updates = RefUpdate.ParseAll(await reader.ReadToEndAsync(context.RequestAborted));
            var quarantine = context.Request.Headers["X-Paas-Quarantine"].ToString();
            int code;
            try
            {
                code = await pipeline.RunAsync(session, updates, quarantine.Length > 0 ? quarantine : null, Say, context.RequestAborted);
            }
            catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
            {
                loggers.CreateLogger("Paas.Builder.Builds").LogError(e, "Build of {App} crashed", session.App);
                await Say($" !     The builder failed unexpectedly: {e.Message}");
                code = 1;
            }
            await Say($"::paas-exit {code}");
        });
        return routes;
    }
}
