using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Paas.Controller.Data;
using Paas.Controller.Services;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>/v2/apps/{id}/builds/: the images an app has run, and deploying an image built elsewhere.</summary>
public static class BuildsApi
{
    public static IEndpointRouteBuilder MapBuildsApi(this IEndpointRouteBuilder routes)
    {
        var builds = routes.MapGroup("/v2/apps/{id}/builds").WithTags("builds");

        builds.MapGet("", async (string id, HttpContext context, AppService apps, PaasDbContext db, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            var versions = await ReleaseVersionsAsync(db, app.Id, ct);
            return Results.Json(await db.Builds.Where(b => b.AppId == app.Id).OrderByDescending(b => b.Created)
                .PageAsync(context.Request, b => BuildDto.From(b, app.Name, versions.GetValueOrDefault(b.Id))));
        });

        builds.MapGet("/{uuid}", async (string id, string uuid, HttpContext context, AppService apps, PaasDbContext db, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            var build = Guid.TryParse(uuid, out var buildId) ? await db.Builds.SingleOrDefaultAsync(b => b.AppId == app.Id && b.Id == buildId, ct) : null;
            return build is null
                ? throw new NotFoundException("Build", $"{app.Name} has no build {uuid}. See its builds with: paas builds -a {app.Name}")
                : Results.Json(BuildDto.From(build, app.Name, (await ReleaseVersionsAsync(db, app.Id, ct)).GetValueOrDefault(build.Id), withLog: true));
        });

        builds.MapPost("", async (string id, HttpContext context, AppService apps, ReleaseService releases, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var app = await apps.GetAsync(caller, id, ct);
            var body = await context.Request.ReadJsonObjectAsync();
            var image = body["image"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            var (build, result) = await releases.CreateBuildAsync(caller, app, image, ReadProcfile(body["procfile"]), ct);
            ConfigApi.EnsureDeployed(app, result);
            return Results.Json(BuildDto.From(build, app.Name, result.Release.Version), statusCode: StatusCodes.Status201Created);
        });

        return routes;
    }

    /// <summary>The release each build made (the first one that used it).</summary>
    private static async Task<Dictionary<Guid, int?>> ReleaseVersionsAsync(PaasDbContext db, Guid appId, CancellationToken ct) =>
        (await db.Releases.Where(r => r.AppId == appId && r.BuildId != null).Select(r => new { BuildId = r.BuildId!.Value, r.Version }).ToListAsync(ct))
            .GroupBy(r => r.BuildId).ToDictionary(g => g.Key, g => (int?)g.Min(r => r.Version));

    /// <summary>The deis CLI sends a map of type to command; a Procfile's text is accepted too.</summary>
    internal static Dictionary<string, string>? ReadProcfile(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.ToDictionary(kv => kv.Key, kv => kv.Value is JsonValue c && c.TryGetValue<string>(out var command) && command.Length > 0
            ? command
            : throw new ValidationFailedException("procfile", $"The command of process type {kv.Key} must be a non-empty string.")),
        JsonValue text when text.TryGetValue<string>(out var procfile) => Procfile.Parse(procfile).ToDictionary(),
        _ => throw new ValidationFailedException("procfile", "procfile must be an object of process types to commands, or a Procfile's text."),
    };
}
