using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Paas.Domain;

namespace Paas.Builder.Git;

/// <summary>
/// Git's smart-HTTP protocol at /{app}.git, spoken by the real git (`git receive-pack` /
/// `git upload-pack --stateless-rpc`). HTTP Basic auth whose password is the user's API token.
/// </summary>
public static class GitHttpApi
{
    public static IEndpointRouteBuilder MapGitHttp(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/{repo}/info/refs", InfoRefsAsync);
        routes.MapPost("/{repo}/git-receive-pack", (HttpContext c, string repo) => ServiceAsync(c, repo, "receive-pack"));
        routes.MapPost("/{repo}/git-upload-pack", (HttpContext c, string repo) => ServiceAsync(c, repo, "upload-pack"));
        return routes;
    }

    private static async Task InfoRefsAsync(HttpContext context, string repo)
    {
        var service = context.Request.Query["service"].ToString() switch
        {
            "git-receive-pack" => "receive-pack",
            "git-upload-pack" => "upload-pack",
            _ => null,
        };
        if (service is null)
        {
            await PlainAsync(context, HttpStatusCode.Forbidden, "Paas speaks git's smart HTTP protocol only; use a git client newer than 1.6.6.");
            return;
        }
        var access = await AuthorizeAsync(context, repo, service);
        if (access is null) return;
        var sessions = context.RequestServices.GetRequiredService<PushSessions>();
        if (service == "receive-pack" && sessions.IsBusy(access.App.Id))
        {
            await ErrorAdvertisementAsync(context, service, PushSessions.BusyMessage(access.App.Id));
            return;
        }
        var path = await context.RequestServices.GetRequiredService<Repositories>().EnsureAsync(access.App.Id, context.RequestAborted);
        await RunGitAsync(context, service, path, advertise: true, new Dictionary<string, string>());
    }

    private static async Task ServiceAsync(HttpContext context, string repo, string service)
    {
        var access = await AuthorizeAsync(context, repo, service);
        if (access is null) return;
        var services = context.RequestServices;
        var repositories = services.GetRequiredService<Repositories>();
        var path = await repositories.EnsureAsync(access.App.Id, context.RequestAborted);
        if (service == "upload-pack")
        {
            await RunGitAsync(context, service, path, advertise: false, new Dictionary<string, string>());
            return;
        }

        var sessions = services.GetRequiredService<PushSessions>();
        var session = sessions.TryStart(access.App.Id, access.Username, path, access.App.WebUrl, Stopwatch.GetTimestamp());
        if (session is null)
        {
            await PlainAsync(context, HttpStatusCode.Conflict, PushSessions.BusyMessage(access.App.Id));
            return;
        }
        try
        {
            var hookUrl = services.GetRequiredService<HookAddress>().Url;
            await RunGitAsync(context, service, path, advertise: false, new Dictionary<string, string>
            {
                ["PAAS_PUSH_ID"] = session.Id.ToString(),
                ["PAAS_HOOK_URL"] = hookUrl,
            });
        }
        finally
        {
            sessions.End(session);
        }
    }

    /// <summary>Checks the Basic credentials with the controller; answers the request itself when refused.</summary>
    private static async Task<ControllerClient.Access.Granted?> AuthorizeAsync(HttpContext context, string repo, string service)
    {
        var app = repo.EndsWith(".git", StringComparison.Ordinal) ? repo[..^4] : repo;
        try
        {
            AppName.Validate(app);
        }
        catch (ValidationFailedException e)
        {
            await PlainAsync(context, HttpStatusCode.NotFound, e.Message);
            return null;
        }

        var token = BasicPassword(context.Request);
        if (token is null)
        {
            await ChallengeAsync(context);
            return null;
        }
        ControllerClient.Access access;
        try
        {
            access = await context.RequestServices.GetRequiredService<ControllerClient>().CheckAsync(token, app, context.RequestAborted);
        }
        catch (HttpRequestException e)
        {
            var message = $"The builder cannot reach the controller to check your access: {e.Message}";
            if (context.Request.Method == "GET") await ErrorAdvertisementAsync(context, service, message);
            else await PlainAsync(context, HttpStatusCode.ServiceUnavailable, message);
            return null;
        }
        switch (access)
        {
            case ControllerClient.Access.Granted granted:
                return granted;
            case ControllerClient.Access.Denied denied:
                if (context.Request.Method == "GET") await ErrorAdvertisementAsync(context, service, denied.Message);
                else await PlainAsync(context, HttpStatusCode.Forbidden, denied.Message);
                return null;
            default:
                await ChallengeAsync(context);
                return null;
        }
    }

    private static string? BasicPassword(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon >= 0 && colon < decoded.Length - 1 ? decoded[(colon + 1)..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static Task ChallengeAsync(HttpContext context)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"Paas (your API token is the password)\"";
        return PlainAsync(context, HttpStatusCode.Unauthorized,
            "Log in first (paas auth:login URL), then push again: your API token is the password.");
    }

    private static Task PlainAsync(HttpContext context, HttpStatusCode status, string message)
    {
        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n", context.RequestAborted);
    }

    private static async Task ErrorAdvertisementAsync(HttpContext context, string service, string message)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = $"application/x-git-{service}-advertisement";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(PktLine.ErrorAdvertisement($"git-{service}", message), context.RequestAborted);
    }

    /// <summary>Runs the real git for one smart-HTTP request, streaming both ways as it goes.</summary>
    private static async Task RunGitAsync(HttpContext context, string service, string repositoryPath, bool advertise,
        IReadOnlyDictionary<string, string> environment)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<BuilderOptions>>().Value;
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Paas.Builder.Git");
        var start = Repositories.GitStartInfo(options, service, repositoryPath, statelessRpc: true, advertise);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        if (context.Request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol) start.Environment["GIT_PROTOCOL"] = protocol;

        context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize = null;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        context.Response.ContentType = advertise ? $"application/x-git-{service}-advertisement" : $"application/x-git-{service}-result";
        context.Response.Headers.CacheControl = "no-cache";

        using var process = Process.Start(start)!;
        using var abort = context.RequestAborted.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        var stderr = process.StandardError.ReadToEndAsync();
        var input = Task.Run(async () =>
        {
            try
            {
                if (!advertise)
                {
                    var body = context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
                        ? new GZipStream(context.Request.Body, CompressionMode.Decompress)
                        : context.Request.Body;
                    await body.CopyToAsync(process.StandardInput.BaseStream, context.RequestAborted);
                }
            }
            finally
            {
                process.StandardInput.Close();
            }
        });

        if (advertise)
        {
            await context.Response.Body.WriteAsync(PktLine.Encode($"# service=git-{service}\n"), context.RequestAborted);
            await context.Response.Body.WriteAsync(PktLine.Flush, context.RequestAborted);
        }
        var buffer = new byte[64 * 1024];
        int read;
        var output = process.StandardOutput.BaseStream;
        while ((read = await output.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            await context.Response.Body.WriteAsync(buffer.AsMemory(0, read), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
        await input;
        await process.WaitForExitAsync(context.RequestAborted);
        var errors = await stderr;
        if (process.ExitCode != 0)
            logger.LogWarning("git {Service} for {Repository} exited {Code}: {Errors}", service, repositoryPath, process.ExitCode, errors.Trim());
    }
}
