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

    public async Task<PaasUser> RequireAsync(string? username, string field = "username") =>
        string.IsNullOrWhiteSpace(username)
            ? throw new ValidationFailedException(field, "Give a username.", "This field may not be blank.")
            : await users.FindByNameAsync(username) ?? throw new NotFoundException("User", $"There is no user named {username}.");

    /// <summary>Everyone, for administrators.</summary>
    public IQueryable<PaasUser> List() => db.Users.OrderBy(u => u.UserName);

    public async Task<HashSet<Guid>> AdminIdsAsync(CancellationToken ct)
    {
        var role = await db.Roles.SingleOrDefaultAsync(r => r.Name == Roles.Admin, ct);
        return role is null ? [] : (await db.UserRoles.Where(ur => ur.RoleId == role.Id).Select(ur => ur.UserId).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>
    /// Changes a password: your own with the current one, or (administrators) anyone's without it.
    /// </summary>
    public async Task ChangePasswordAsync(Caller caller, string? username, string? current, string? next, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(next))
            throw new ValidationFailedException("new_password", "Give the new password.", "This field may not be blank.");
        var target = string.IsNullOrEmpty(username) || username == caller.Username
            ? await users.FindByIdAsync(caller.Id.ToString()) ?? throw new NotFoundException("User", "Your user no longer exists.")
            : caller.IsAdmin ? await RequireAsync(username)
            : throw new ForbiddenException("Only an administrator can change another user's password.");
        if (target.Id == caller.Id)
        {
            if (string.IsNullOrEmpty(current) || !await users.CheckPasswordAsync(target, current))
                throw new ValidationFailedException("password", "The current password is not right.");
        }
        var validation = await users.PasswordValidators[0].ValidateAsync(users, target, next);
        if (!validation.Succeeded) throw new ValidationFailedException("new_password", validation.Errors.First().Description);
        target.PasswordHash = users.PasswordHasher.HashPassword(target, next);
        await users.UpdateSecurityStampAsync(target);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Replaces tokens: the caller's own, another user's (administrators) or everyone's (administrators,
    /// <paramref name="all"/>). Every earlier token of those users stops working. Returns the caller's
    /// (or the named user's) new token.
    /// </summary>
    public async Task<string> RegenerateAsync(Caller caller, string? username, bool all, CancellationToken ct)
    {
        if ((all || (!string.IsNullOrEmpty(username) && username != caller.Username)) && !caller.IsAdmin)
            throw new ForbiddenException("Only an administrator can regenerate other users' tokens.");
        if (all)
        {
            await db.Tokens.ExecuteDeleteAsync(ct);
            return await IssueTokenAsync(caller.Id, ct);
        }
        var target = string.IsNullOrEmpty(username) ? caller.Id : (await RequireAsync(username)).Id;
        await db.Tokens.Where(t => t.UserId == target).ExecuteDeleteAsync(ct);
        return await IssueTokenAsync(target, ct);
    }

    /// <summary>Deletes an account (yours, or anyone's for administrators) that owns no apps.</summary>
    public async Task CancelAsync(Caller caller, string? username, CancellationToken ct)
    {
        var target = string.IsNullOrEmpty(username) || username == caller.Username
            ? await users.FindByIdAsync(caller.Id.ToString()) ?? throw new NotFoundException("User", "Your user no longer exists.")
            : caller.IsAdmin ? await RequireAsync(username)
            : throw new ForbiddenException("Only an administrator can cancel another user's account.");
        var owned = await db.Apps.Where(a => a.Owner == target.UserName).Select(a => a.Name).ToListAsync(ct);
        if (owned.Count > 0)
            throw new ConflictException(
                $"{target.UserName} still has applications assigned. Delete or transfer ownership of {string.Join(", ", owned)} first (paas apps:transfer USER -a APP).");
        var admins = await AdminIdsAsync(ct);
        if (admins.Contains(target.Id) && admins.Count == 1)
            throw new ConflictException($"{target.UserName} is the only administrator; make someone else an administrator first (paas perms:create USER --admin).");
        await db.Keys.Where(k => k.Owner == target.UserName).ExecuteDeleteAsync(ct);
        await db.Certificates.Where(c => c.Owner == target.UserName).ExecuteDeleteAsync(ct);
        var deleted = await users.DeleteAsync(target);
        if (!deleted.Succeeded) throw new InvalidOperationException(deleted.Errors.First().Description);
    }

    /// <summary>Makes a user an administrator.</summary>
    public async Task GrantAdminAsync(string? username, CancellationToken ct)
    {
        var user = await RequireAsync(username);
        if (await users.IsInRoleAsync(user, Roles.Admin))
            throw new ValidationFailedException("username", $"{user.UserName} is already an administrator.");
        if (!await roles.RoleExistsAsync(Roles.Admin)) await roles.CreateAsync(new IdentityRole<Guid>(Roles.Admin));
        await users.AddToRoleAsync(user, Roles.Admin);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Takes administration away from a user; the last administrator stays.</summary>
    public async Task RevokeAdminAsync(string? username, CancellationToken ct)
    {
        var user = await RequireAsync(username);
        if (!await users.IsInRoleAsync(user, Roles.Admin))
            throw new NotFoundException("User", $"{user.UserName} is not an administrator.");
        if ((await AdminIdsAsync(ct)).Count == 1)
            throw new ConflictException($"{user.UserName} is the only administrator; make someone else one first.");
        await users.RemoveFromRoleAsync(user, Roles.Admin);
    }
}
