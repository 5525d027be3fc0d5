using Microsoft.AspNetCore.Authentication;
using Paas.Controller.Auth;
using Paas.Controller.Services;

namespace Paas.Controller.Api;

/// <summary>/v2/auth/: register, login, whoami.</summary>
public static class AuthApi
{
    public sealed record RegisterRequest(string? Username, string? Password, string? Email, string? FirstName, string? LastName);

    public sealed record LoginRequest(string? Username, string? Password);

    public sealed record TokenResponse(string Token);

    public static IEndpointRouteBuilder MapAuthApi(this IEndpointRouteBuilder routes)
    {
        var auth = routes.MapGroup("/v2/auth").WithTags("auth");

        auth.MapPost("/register", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<RegisterRequest>() ?? new RegisterRequest(null, null, null, null, null);
            // Registration is anonymous, but an administrator's token lets them register others
            // when registration is limited to administrators.
            var authenticated = await context.AuthenticateAsync(TokenAuthenticationHandler.SchemeName);
            var caller = authenticated.Succeeded ? Caller.From(authenticated.Principal!) : null;
            var (user, isAdmin) = await users.RegisterAsync(
                new UserService.Registration(body.Username, body.Password, body.Email, body.FirstName, body.LastName), caller, ct);
            return Results.Json(UserDto.From(user, isAdmin), statusCode: StatusCodes.Status201Created);
        }).AllowAnonymous();

        auth.MapPost("/login", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<LoginRequest>();
            var token = await users.LoginAsync(body?.Username, body?.Password, ct);
            return Results.Json(new TokenResponse(token));
        }).AllowAnonymous();

        auth.MapGet("/whoami", async (HttpContext context, UserService users) =>
        {
            var (user, isAdmin) = await users.GetAsync(context.Caller().Id);
            return Results.Json(UserDto.From(user, isAdmin));
        });

        auth.MapPost("/passwd", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<PasswordRequest>();
            await users.ChangePasswordAsync(context.Caller(), body?.Username, body?.Password, body?.NewPassword, ct);
            return Results.Json(new { });
        });

        auth.MapPost("/tokens", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<RegenerateRequest>();
            return Results.Json(new TokenResponse(await users.RegenerateAsync(context.Caller(), body?.Username, body?.All ?? false, ct)));
        });

        auth.MapDelete("/cancel", async (HttpContext context, UserService users, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<CancelRequest>();
            await users.CancelAsync(context.Caller(), body?.Username, ct);
            return Results.NoContent();
        });

        return routes;
    }

    public sealed record PasswordRequest(string? Username, string? Password, string? NewPassword);

    public sealed record RegenerateRequest(string? Username, bool? All);

    public sealed record CancelRequest(string? Username);
}
