using Microsoft.AspNetCore.Identity;

namespace Paas.Controller.Data;

/// <summary>A platform user. Passwords, lockout and roles come from ASP.NET Identity.</summary>
public sealed class PaasUser : IdentityUser<Guid>
{
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public bool IsActive { get; set; } = true;
    public DateTimeOffset DateJoined { get; set; }
    public DateTimeOffset? LastLogin { get; set; }
}

/// <summary>An API token. Only its SHA-256 is stored; the token itself is shown once, at login.</summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public PaasUser User { get; set; } = null!;
    public string Hash { get; set; } = "";
    public DateTimeOffset Created { get; set; }
}

/// <summary>A collaborator on an app: may push, configure and scale it, but not destroy or transfer it.</summary>
public sealed class Collaborator
{
    public Guid AppId { get; set; }
    public Guid UserId { get; set; }
    public DateTimeOffset Created { get; set; }
}

public static class Roles
{
    /// <summary>Administrators see and manage every app and user ("is_superuser" in Deis's API).</summary>
    public const string Admin = "admin";
}
