using Paas.Controller.Services;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>/v2/apps/{id}/releases/: list and show.</summary>
public static class ReleasesApi
{
    public static IEndpointRouteBuilder MapReleasesApi(this IEndpointRouteBuilder routes)
    {
        var releases = routes.MapGroup("/v2/apps/{id}/releases").WithTags("releases");

        releases.MapGet("", async (string id, HttpContext context, AppService apps, ReleaseService service, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(await service.List(app).PageAsync(context.Request, r => ReleaseDto.From(r, app.Name)));
        });

        releases.MapGet("/{version}", async (string id, string version, HttpContext context, AppService apps, ReleaseService service, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(ReleaseDto.From(await service.GetAsync(app, ParseVersion(version), ct), app.Name));
        });

        releases.MapPost("/rollback", async (string id, HttpContext context, AppService apps, ReleaseService service, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var app = await apps.GetAsync(caller, id, ct);
            var body = await context.Request.ReadJsonAsync<RollbackRequest>();
            var result = await service.RollbackAsync(caller, app, body?.Version, ct);
            ConfigApi.EnsureDeployed(app, result);
            return Results.Json(new { version = result.Release.Version }, statusCode: StatusCodes.Status201Created);
        });

        return routes;
    }

    public sealed record RollbackRequest(int? Version);

    /// <summary>"v3" or "3".</summary>
    public static int ParseVersion(string text)
    {
        var digits = text.StartsWith('v') || text.StartsWith('V') ? text[1..] : text;
        if (!int.TryParse(digits, out var version))
            throw new ValidationFailedException("version", $"'{text}' is not a release version; use the form v3.");
        if (version < 0)
            throw new ValidationFailedException("version", "version cannot be below 0");
        return version;
    }
}
