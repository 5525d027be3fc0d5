using MassTransit;
using Microsoft.EntityFrameworkCore;
using Paas.Contracts;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Controller.Routing;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Services;

public sealed class AppService(
    PaasDbContext db,
    AppAccess access,
    IScheduler scheduler,
    RouteTableService routes,
    IPublishEndpoint bus,
    Activity activity,
    UserService users,
    TimeProvider clock,
    ILogger<AppService> logger)
{
    /// <summary>Creates an app with its first release (v1: no build, empty config).</summary>
    public async Task<App> CreateAsync(Caller caller, string? name, CancellationToken ct)
    {
        if (name is null)
        {
            name = AppName.Generate(Random.Shared);
            for (var i = 0; i < 10 && await db.Apps.AnyAsync(a => a.Name == name, ct); i++)
                name = AppName.Generate(Random.Shared);
        }
        var now = clock.GetUtcNow();
        var app = new App(name, caller.Username, now);
        if (await db.Apps.AnyAsync(a => a.Name == name, ct)) throw Taken(name);

        var config = Config.Initial(app.Id, caller.Username, now);
        var release = Release.First(app.Id, config, caller.Username, now);
        release.MarkSucceeded(now);
        db.Apps.Add(app);
        db.Configs.Add(config);
        db.Releases.Add(release);
        db.Settings.Add(new AppSettings(app.Id, caller.Username, now));
        // Every app is reachable at <app>.<platform domain> unless its owner removes that domain.
        if (await db.Hostnames.AnyAsync(h => h.Name == name, ct))
            throw new ValidationFailedException("id", $"The host name {name} is in use as another app's domain; choose another app name.");
        db.Hostnames.Add(new Hostname(app.Id, name, caller.Username, now));
        activity.Record(name, caller.Username, "app", $"{caller.Username} created {name}");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            throw Taken(name);
        }
        logger.LogInformation("{User} created app {App}", caller.Username, name);
        return app;
    }

    /// <summary>Gives the app to another user; a collaborator who becomes owner stops being a collaborator.</summary>
    public async Task<App> TransferAsync(Caller caller, string name, string? newOwner, CancellationToken ct)
    {
        var app = await access.RequireAsync(caller, name, AppRight.Own, ct);
        if (string.IsNullOrWhiteSpace(newOwner))
            throw new ValidationFailedException("owner", "Say who gets the app: {\"owner\": \"USERNAME\"}.", "This field may not be blank.");
        var user = await users.FindAsync(newOwner)
            ?? throw new ValidationFailedException("owner", $"There is no user named {newOwner}.");
        if (user.UserName == app.Owner) throw new ValidationFailedException("owner", $"{newOwner} already owns {app.Name}.");
        var previous = app.Owner;
        app.TransferTo(user.UserName!, clock.GetUtcNow());
        await db.Collaborators.Where(c => c.AppId == app.Id && c.UserId == user.Id).ExecuteDeleteAsync(ct);
        activity.Record(app.Name, caller.Username, "app", $"{caller.Username} transferred {app.Name} from {previous} to {user.UserName}");
        await db.SaveChangesAsync(ct);
        return app;
    }

    private static ValidationFailedException Taken(string name) =>
        new("id", $"An app named '{name}' already exists; choose another name.", "Application with this id already exists.");

    public IQueryable<App> List(Caller caller) => access.Visible(caller).OrderBy(a => a.Name);

    public Task<App> GetAsync(Caller caller, string name, CancellationToken ct) => access.RequireAsync(caller, name, AppRight.Use, ct);

    /// <summary>Stops the app's processes, removes its routes and forgets it.</summary>
    public async Task DestroyAsync(Caller caller, string name, CancellationToken ct)
    {
        var app = await access.RequireAsync(caller, name, AppRight.Own, ct);
        await scheduler.DestroyAsync(app.Name, ct);
        await db.Apps.Where(a => a.Id == app.Id).ExecuteDeleteAsync(ct);
        activity.Record(app.Name, caller.Username, "app", $"{caller.Username} destroyed {app.Name}");
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
        await bus.Publish(new AppDestroyed(app.Name), ct);
        logger.LogInformation("{User} destroyed app {App}", caller.Username, name);
    }
}
