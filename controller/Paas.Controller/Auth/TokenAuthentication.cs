using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paas.Controller.Api;
using Paas.Controller.Data;

namespace Paas.Controller.Auth;

/// <summary>
/// Authenticates `Authorization: token &lt;t&gt;` (Deis's form) and `Authorization: Bearer &lt;t&gt;`
/// against the stored token hashes. Challenges and refusals answer with ProblemDetails.
/// </summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PaasDbContext db)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        var parts = header.Split(' ', 2, StringSplitOptions.TrimEntries);
        if (parts.Length != 2 || !(parts[0].Equals("token", StringComparison.OrdinalIgnoreCase) || parts[0].Equals("bearer", StringComparison.OrdinalIgnoreCase)))
            return AuthenticateResult.NoResult();

        var hash = Tokens.Hash(parts[1]);
        var user = await db.Tokens.AsNoTracking().Where(t => t.Hash == hash).Select(t => t.User).SingleOrDefaultAsync(Context.RequestAborted);
        if (user is null || !user.IsActive) return AuthenticateResult.Fail("invalid token");

        var isAdmin = await db.UserRoles.AnyAsync(
            ur => ur.UserId == user.Id && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Roles.Admin), Context.RequestAborted);
        List<Claim> claims = [new(ClaimTypes.NameIdentifier, user.Id.ToString()), new(ClaimTypes.Name, user.UserName!)];
        if (isAdmin) claims.Add(new Claim(ClaimTypes.Role, Roles.Admin));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized,
            "Authentication required: send 'Authorization: token <token>'. Get a token with paas auth:login.");

    // Only the admin-only policy forbids (everything else checks access in the services and says why);
    // deis clients print their own text for a 403, so the detail can say what is missing.
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "Only administrators can do this.");
}

/// <summary>The caller, as the services see it.</summary>
public sealed record Caller(Guid Id, string Username, bool IsAdmin)
{
    public static Caller From(ClaimsPrincipal principal) => new(
        Guid.Parse(principal.FindFirstValue(ClaimTypes.NameIdentifier)!),
        principal.Identity!.Name!,
        principal.IsInRole(Roles.Admin));
}
