using Paas.Controller.Auth;
using Paas.Controller.Services;

namespace Paas.Controller.Api;

/// <summary>Collaborators (/v2/apps/{id}/perms/), administrators (/v2/admin/perms/), users (/v2/users/) and keys (/v2/keys/).</summary>
public static class PeopleApi
{
    public sealed record UsernameRequest(string? Username);

    public sealed record KeyRequest(string? Id, string? Public);

    public static IEndpointRouteBuilder MapPeopleApi(this IEndpointRouteBuilder routes)
    {
        var perms = routes.MapGroup("/v2/apps/{id}/perms").WithTags("perms");
        perms.MapGet("", async (string id, HttpContext context, AppService apps, CollaboratorService collaborators, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(new { users = await collaborators.ListAsync(app, ct) });
        });
        perms.MapPost("", async (string id, HttpContext context, AppAccess access, CollaboratorService collaborators, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var app = await access.RequireAsync(caller, id, AppRight.Own, ct);
            await collaborators.AddAsync(caller, app, (await context.Request.ReadJsonAsync<UsernameRequest>())?.Username, ct);
            return Results.Json(new { }, statusCode: StatusCodes.Status201Created);
        });
        perms.MapDelete("/{username}", async (string id, string username, HttpContext context, AppAccess access, CollaboratorService collaborators, CancellationToken ct) =>
        {
            var caller = context.Caller();
            // The owner and admins manage collaborators; a collaborator may leave on their own.
            var app = await access.RequireAsync(caller, id, username == caller.Username ? AppRight.Use : AppRight.Own, ct);
            await collaborators.RemoveAsync(caller, app, username, ct);
            return Results.NoContent();
        });

        var admins = routes.MapGroup("/v2/admin/perms").WithTags("perms").RequireAuthorization(AdminOnly);
        admins.MapGet("", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var ids = await users.AdminIdsAsync(ct);
            return Results.Json(await users.List().Where(u => ids.Contains(u.Id)).PageAsync(context.Request, u => new { username = u.UserName }));
        });
        admins.MapPost("", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            await users.GrantAdminAsync((await context.Request.ReadJsonAsync<UsernameRequest>())?.Username, ct);
            return Results.Json(new { }, statusCode: StatusCodes.Status201Created);
        });
        admins.MapDelete("/{username}", async (string username, UserService users, CancellationToken ct) =>
        {
            await users.RevokeAdminAsync(username, ct);
            return Results.NoContent();
        });

        routes.MapGet("/v2/users", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var ids = await users.AdminIdsAsync(ct);
            return Results.Json(await users.List().PageAsync(context.Request, u => UserDto.From(u, ids.Contains(u.Id))));
        }).WithTags("users").RequireAuthorization(AdminOnly);

        var keys = routes.MapGroup("/v2/keys").WithTags("keys");
        keys.MapGet("", async (HttpContext context, KeyService service) =>
            Results.Json(await service.List(context.Caller()).PageAsync(context.Request, KeyDto.From)));
        keys.MapPost("", async (HttpContext context, KeyService service, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<KeyRequest>();
            return Results.Json(KeyDto.From(await service.AddAsync(context.Caller(), body?.Id, body?.Public, ct)), statusCode: StatusCodes.Status201Created);
        });
        keys.MapDelete("/{keyId}", async (string keyId, HttpContext context, KeyService service, CancellationToken ct) =>
        {
            await service.RemoveAsync(context.Caller(), keyId, ct);
            return Results.NoContent();
        });
        return routes;
    }

    public const string AdminOnly = "admin";
}
