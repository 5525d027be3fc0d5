using Microsoft.EntityFrameworkCore;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>Who may do what with an app.</summary>
public enum AppRight
{
    /// <summary>See it, push to it, configure and scale it: owner, collaborators, admins.</summary>
    Use,
    /// <summary>Destroy, transfer, share it: owner and admins.</summary>
    Own,
}

public sealed class AppAccess(PaasDbContext db)
{
    /// <summary>
    /// Finds the app and checks the caller's right to it. Someone with no access at all gets the
    /// same answer as for a missing app, so strangers learn nothing about other people's apps.
    /// </summary>
    public async Task<App> RequireAsync(Caller caller, string name, AppRight right, CancellationToken ct)
    {
        var app = await db.Apps.SingleOrDefaultAsync(a => a.Name == name, ct);
        if (app is null || !await CanUseAsync(caller, app, ct)) throw AppNotFound(name);
        if (right == AppRight.Own && !caller.IsAdmin && app.Owner != caller.Username)
            throw new ForbiddenException($"Only {app.Owner} (the owner) or an administrator can do this to {app.Name}.");
        return app;
    }

    public async Task<bool> CanUseAsync(Caller caller, App app, CancellationToken ct) =>
        caller.IsAdmin || app.Owner == caller.Username ||
        await db.Collaborators.AnyAsync(p => p.AppId == app.Id && p.UserId == caller.Id, ct);

    /// <summary>The apps the caller can use, for listings.</summary>
    public IQueryable<App> Visible(Caller caller) =>
        caller.IsAdmin
            ? db.Apps
            : db.Apps.Where(a => a.Owner == caller.Username || db.Collaborators.Any(p => p.AppId == a.Id && p.UserId == caller.Id));

    public static NotFoundException AppNotFound(string name) =>
        new("App", $"App '{name}' does not exist, or you do not have access to it. See your apps with: paas apps");
}
