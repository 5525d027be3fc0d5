using Paas.Controller.Services;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Api;

/// <summary>/v2/apps/{id}/config/: environment, limits, health checks, tags, grace periods. Each change is a release.</summary>
public static class ConfigApi
{
    public static IEndpointRouteBuilder MapConfigApi(this IEndpointRouteBuilder routes)
    {
        var config = routes.MapGroup("/v2/apps/{id}/config").WithTags("config");

        config.MapGet("", async (string id, HttpContext context, AppService apps, ReleaseService releases, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(ConfigJson.Write(await releases.CurrentConfigAsync(app, ct), app.Name, null));
        });

        config.MapPost("", async (string id, HttpContext context, AppService apps, ReleaseService releases, IScheduler scheduler,
            Notices notices, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var app = await apps.GetAsync(caller, id, ct);
            var change = ConfigJson.ReadChange(await context.Request.ReadJsonObjectAsync());
            var (changed, result) = await releases.ChangeConfigAsync(caller, app, change, ct);
            if (change.Tags is not null && !scheduler.Features.NodeSelection)
                notices.Add($"The {scheduler.Name} scheduler runs every process on this one host and ignores tags; they are kept and take effect on Kubernetes.");
            EnsureDeployed(app, result);
            return Results.Json(ConfigJson.Write(changed, app.Name, result.Release.Version), statusCode: StatusCodes.Status201Created);
        });

        return routes;
    }

    /// <summary>A release whose processes did not start changed nothing: say so, with the reason.</summary>
    public static void EnsureDeployed(App app, ReleaseService.Result result)
    {
        if (!result.Outcome.Succeeded)
            throw new UnprocessableException(
                $"v{result.Release.Version} was made, but its processes did not start, so {app.Name} keeps running its previous release: {result.Outcome.Failure}");
    }
}
