using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Paas.Contracts;
using Microsoft.EntityFrameworkCore;
using Paas.Controller.Routing;
using Paas.Controller.Services;

namespace Paas.Controller.Api;

/// <summary>
/// /v2/hooks/: endpoints for the platform's own components (router, builder), authenticated with
/// the shared service token in X-Deis-Builder-Auth rather than a user's token.
/// </summary>
public static class HooksApi
{
    public static IEndpointRouteBuilder MapHooksApi(this IEndpointRouteBuilder routes)
    {
        var hooks = routes.MapGroup("/v2/hooks").WithTags("hooks").AllowAnonymous().AddEndpointFilter(RequireServiceToken);

        hooks.MapGet("/routes", async (HttpContext context, RouteTableService routeTables, CancellationToken ct) =>
        {
            var table = await routeTables.GetAsync(ct);
            var etag = $"\"{table.Version}\"";
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.Contains(etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
            return Results.Json(table, PaasJson.Options);
        });

        // The SSH receiver asks who owns the key a client offers, and which apps they may push to.
        hooks.MapGet("/key/{fingerprint}", async (string fingerprint, KeyService keys, UserService users, AppAccess access,
            IOptions<PlatformOptions> platform, CancellationToken ct) =>
        {
            var key = await keys.FindByFingerprintAsync(fingerprint, ct)
                ?? throw new Domain.NotFoundException("Key", $"No user has a key with fingerprint {fingerprint}.");
            var user = await users.RequireAsync(key.Owner);
            var (_, isAdmin) = await users.GetAsync(user.Id);
            var caller = new Auth.Caller(user.Id, user.UserName!, isAdmin);
            var apps = await access.Visible(caller).OrderBy(a => a.Name).Select(a => a.Name).ToListAsync(ct);
            // + web_urls: where each app answers, for the builder's "deployed" line after an SSH push.
            return Results.Json(new { username = user.UserName, apps, web_urls = apps.ToDictionary(a => a, platform.Value.AppUrl) });
        });

        // The builder reads the app's config for a buildpack build (BUILDPACK_URL, ENV_DIR), as the pusher.
        hooks.MapPost("/config", async (HttpContext context, UserService users, AppAccess access, ReleaseService releases, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonObjectAsync();
            var username = body["receive_user"]?.GetValue<string>() ?? throw new Domain.ValidationFailedException("receive_user", "receive_user is required.");
            var repo = body["receive_repo"]?.GetValue<string>() ?? throw new Domain.ValidationFailedException("receive_repo", "receive_repo is required.");
            var user = await users.RequireAsync(username);
            var (_, isAdmin) = await users.GetAsync(user.Id);
            var app = await access.RequireAsync(new Auth.Caller(user.Id, user.UserName!, isAdmin), repo, AppRight.Use, ct);
            return Results.Json(ConfigJson.Write(await releases.CurrentConfigAsync(app, ct), app.Name, null));
        });

        // Deis's builder reports a finished build here; Paas's own builder publishes BuildSucceeded on the bus
        // instead, but a Deis-style builder (or a CI job holding the service token) can release through this.
        hooks.MapPost("/build", async (HttpContext context, UserService users, AppAccess access, ReleaseService releases, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonObjectAsync();
            var username = body["receive_user"]?.GetValue<string>() ?? throw new Domain.ValidationFailedException("receive_user", "receive_user is required.");
            var repo = body["receive_repo"]?.GetValue<string>() ?? throw new Domain.ValidationFailedException("receive_repo", "receive_repo is required.");
            var user = await users.RequireAsync(username);
            var (_, isAdmin) = await users.GetAsync(user.Id);
            var caller = new Auth.Caller(user.Id, user.UserName!, isAdmin);
            var app = await access.RequireAsync(caller, repo, AppRight.Use, ct);
            var image = body["image"] is System.Text.Json.Nodes.JsonValue i && i.TryGetValue<string>(out var text) ? text : null;
            var sha = body["sha"] is System.Text.Json.Nodes.JsonValue s && s.TryGetValue<string>(out var commit) && commit.Length > 0 ? commit : null;
            var dockerfile = body["dockerfile"] is System.Text.Json.Nodes.JsonValue d && d.TryGetValue<string>(out var file) && file.Length > 0;
            var (_, result) = await releases.CreateBuildAsync(caller, app, image, BuildsApi.ReadProcfile(body["procfile"]), ct,
                dockerfile ? "dockerfile" : sha is null ? "image" : "buildpack", sha);
            ConfigApi.EnsureDeployed(app, result);
            return Results.Json(new { release = new { version = result.Release.Version } }, statusCode: StatusCodes.Status201Created);
        });

        return routes;
    }

    private static async ValueTask<object?> RequireServiceToken(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var expected = http.RequestServices.GetRequiredService<IOptions<PlatformOptions>>().Value.ServiceToken;
        var given = http.Request.Headers[PaasHeaders.ServiceAuth].ToString();
        if (string.IsNullOrEmpty(expected))
            return Problems.Result(StatusCodes.Status503ServiceUnavailable, "PAAS_SERVICE_TOKEN is not set on the controller.");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            return Problems.Result(StatusCodes.Status401Unauthorized, $"Platform hooks need the service token in {PaasHeaders.ServiceAuth}.");
        return await next(context);
    }
}
