using Microsoft.Extensions.Options;
using Paas.Controller.Data;
using Paas.Controller.Services;

namespace Paas.Controller.Api;

/// <summary>/v2/apps/: create, list, show, destroy.</summary>
public static class AppsApi
{
    public sealed record CreateAppRequest(string? Id);

    public sealed record TransferRequest(string? Owner);

    public static IEndpointRouteBuilder MapAppsApi(this IEndpointRouteBuilder routes)
    {
        var apps = routes.MapGroup("/v2/apps").WithTags("apps");

        apps.MapGet("", async (HttpContext context, AppService service, IOptions<PlatformOptions> platform) =>
            Results.Json(await service.List(context.Caller()).PageAsync(context.Request, a => AppDto.From(a, platform.Value))));

        apps.MapPost("", async (HttpContext context, AppService service, IOptions<PlatformOptions> platform, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<CreateAppRequest>();
            var app = await service.CreateAsync(context.Caller(), body?.Id, ct);
            return Results.Json(AppDto.From(app, platform.Value), statusCode: StatusCodes.Status201Created);
        });

        apps.MapGet("/{id}", async (string id, HttpContext context, AppService service, IOptions<PlatformOptions> platform, CancellationToken ct) =>
            Results.Json(AppDto.From(await service.GetAsync(context.Caller(), id, ct), platform.Value)));

        apps.MapPost("/{id}", async (string id, HttpContext context, AppService service, IOptions<PlatformOptions> platform, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<TransferRequest>();
            return Results.Json(AppDto.From(await service.TransferAsync(context.Caller(), id, body?.Owner, ct), platform.Value));
        });

        apps.MapGet("/{id}/events", async (string id, HttpContext context, AppService service, PaasDbContext db, CancellationToken ct) =>
        {
            var app = await service.GetAsync(context.Caller(), id, ct);
            return Results.Json(await db.Events.Where(e => e.App == app.Name).OrderByDescending(e => e.Created)
                .PageAsync(context.Request, EventDto.From));
        });

        apps.MapDelete("/{id}", async (string id, HttpContext context, AppService service, CancellationToken ct) =>
        {
            await service.DestroyAsync(context.Caller(), id, ct);
            return Results.NoContent();
        });

        return routes;
    }
}
