using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>Registration, login and API tokens. Passwords and roles are ASP.NET Identity's.</summary>
public sealed class UserService(
    PaasDbContext db,
    UserManager<PaasUser> users,
    RoleManager<IdentityRole<Guid>> roles,
    IOptions<PlatformOptions> platform,
    TimeProvider clock)
{
    public sealed record Registration(string? Username, string? Password, string? Email, string? FirstName, string? LastName);

    /// <summary>
    /// Registers a user. The first user becomes an administrator. Afterwards the registration mode
    /// decides: enabled (anyone), admin_only (an administrator registers others) or disabled.
    /// </summary>
    public async Task<(PaasUser User, bool IsAdmin)> RegisterAsync(Registration request, Caller? caller, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Username))
            throw new ValidationFailedException("username", "A username is required.", "This field may not be blank.");
        if (string.IsNullOrEmpty(request.Password))
            throw new ValidationFailedException("password", "A password is required.", "This field may not be blank.");
        if (!string.IsNullOrEmpty(request.Email) && !new EmailAddressAttribute().IsValid(request.Email))
            throw new ValidationFailedException("email", $"'{request.Email}' is not a valid email address.", "Enter a valid email address.");

        // One registration at a time, so exactly one user can be "the first".
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtext('paas:register'))", ct);
        var first = !await db.Users.AnyAsync(ct);
        if (!first) EnsureMayRegister(caller);

        var user = new PaasUser
        {
            Id = Guid.NewGuid(),
            UserName = request.Username,
            Email = request.Email ?? "",
            FirstName = request.FirstName ?? "",
            LastName = request.LastName ?? "",
            DateJoined = clock.GetUtcNow(),
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded) throw Describe(created, request.Username);
        if (first)
        {
            if (!await roles.RoleExistsAsync(Roles.Admin)) await roles.CreateAsync(new IdentityRole<Guid>(Roles.Admin));
            await users.AddToRoleAsync(user, Roles.Admin);
        }
        await tx.CommitAsync(ct);
        return (user, first);
    }

    private void EnsureMayRegister(Caller? caller)
    {
        switch (platform.Value.RegistrationMode)
        {
            case "enabled":
                return;
            case "admin_only":
                if (caller is { IsAdmin: true }) return;
                throw new ForbiddenException("Registration is limited to administrators: ask an administrator to register you.");
            case "disabled":
                throw new ForbiddenException("Registration is disabled on this platform.");
            default:
                throw new InvalidOperationException($"Unknown PAAS_REGISTRATION_MODE '{platform.Value.RegistrationMode}'.");
        }
    }

    private static ValidationFailedException Describe(IdentityResult result, string username)
    {
        var error = result.Errors.First();
        return error.Code switch
        {
            "DuplicateUserName" => new ValidationFailedException("username", $"The username '{username}' is taken; choose another.",
                "A user with that username already exists."),
            "InvalidUserName" => new ValidationFailedException("username",
                $"'{username}' is not a valid username: use letters, numbers and @ . + - _ only.",
                "Enter a valid username. This value may contain only letters, numbers and @/./+/-/_ characters."),
            "InvalidEmail" => new ValidationFailedException("email", error.Description, "Enter a valid email address."),
            _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => new ValidationFailedException("password", error.Description),
            _ => new ValidationFailedException("non_field_errors", error.Description),
        };
    }

    /// <summary>Checks the password and issues a new token (earlier tokens stay valid).</summary>
    public async Task<string> LoginAsync(string? username, string? password, CancellationToken ct)
    {
        var user = string.IsNullOrEmpty(username) ? null : await users.FindByNameAsync(username);
        if (user is null || !user.IsActive || string.IsNullOrEmpty(password) || !await users.CheckPasswordAsync(user, password))
            throw new ValidationFailedException("non_field_errors",
                "Unable to log in with provided credentials.", "Unable to log in with provided credentials.");
        user.LastLogin = clock.GetUtcNow();
        await users.UpdateAsync(user);
        return await IssueTokenAsync(user.Id, ct);
    }

    public async Task<string> IssueTokenAsync(Guid userId, CancellationToken ct)
    {
        var token = Tokens.Create();
        db.Tokens.Add(new ApiToken { Id = Guid.NewGuid(), UserId = userId, Hash = Tokens.Hash(token), Created = clock.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return token;
    }

    public async Task<(PaasUser User, bool IsAdmin)> GetAsync(Guid id)
    {
        var user = await users.FindByIdAsync(id.ToString()) ?? throw new NotFoundException("User", "Your user no longer exists.");
        return (user, await users.IsInRoleAsync(user, Roles.Admin));
    }

    public Task<PaasUser?> FindAsync(string username) => users.FindByNameAsync(username);
}
