using Microsoft.EntityFrameworkCore;
using Paas.Contracts;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>
/// Makes releases (a build and a config, numbered per app) and hands them to the <see cref="Deployer"/>.
/// Versions are allocated under a row lock on the app, so concurrent changes never share or skip one.
/// </summary>
public sealed class ReleaseService(PaasDbContext db, AppAccess access, Deployer deployer, UserService users, TimeProvider clock)
{
    public IQueryable<Release> List(App app) => db.Releases.Where(r => r.AppId == app.Id).OrderByDescending(r => r.Version);

    public async Task<Release> GetAsync(App app, int version, CancellationToken ct) =>
        await db.Releases.SingleOrDefaultAsync(r => r.AppId == app.Id && r.Version == version, ct)
        ?? throw new NotFoundException("Release", $"{app.Name} has no release v{version}. See its releases with: paas releases -a {app.Name}");

    /// <summary>
    /// Releases a build the builder made and deploys it. Idempotent per build id: a repeated message
    /// gets the outcome of the release already made for it.
    /// </summary>
    public async Task<object> ReleaseBuildAsync(BuildSucceeded message, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var user = await users.FindAsync(message.User);
        if (user is null) return new ReleaseNotDeployed(message.BuildId, message.App, null, $"User {message.User} no longer exists.");
        var (_, isAdmin) = await users.GetAsync(user.Id);
        var caller = new Caller(user.Id, user.UserName!, isAdmin);

        Release release;
        var existing = await db.Releases.AsNoTracking().SingleOrDefaultAsync(r => r.BuildId == message.BuildId, ct);
        if (existing is not null)
        {
            release = existing;
        }
        else
        {
            App app;
            try
            {
                app = await access.RequireAsync(caller, message.App, AppRight.Use, ct);
            }
            catch (PaasException e)
            {
                return new ReleaseNotDeployed(message.BuildId, message.App, null, e.Message);
            }
            var now = clock.GetUtcNow();
            var build = new Build(message.BuildId, app.Id, caller.Username, message.Image, message.Kind, message.Sha, message.Procfile, now);
            release = await NewReleaseAsync(app, serving => (build, serving.Config, Release.DeployedSummary(caller.Username, build)),
                caller, a => a.AdoptProcessTypes(build.ProcessTypes, now), ct);
        }
        var releaseSeconds = clock.GetElapsedTime(started).TotalSeconds;

        var readyStarted = clock.GetTimestamp();
        var outcome = await deployer.DeployAsync(message.App, release.Id, ct);
        var readySeconds = clock.GetElapsedTime(readyStarted).TotalSeconds;
        return outcome.Succeeded
            ? new ReleaseDeployed(message.BuildId, message.App, release.Version, releaseSeconds, readySeconds)
            : new ReleaseNotDeployed(message.BuildId, message.App, release.Version, outcome.Failure!);
    }

    /// <summary>What the serving release is made of, for building the next one.</summary>
    public sealed record Serving(Release Release, Build? Build, Config Config);

    /// <summary>
    /// Allocates the next version under a row lock on the app and stores the new release (pending).
    /// <paramref name="compose"/> gets the serving release (the newest that succeeded: a failed
    /// release changed nothing) and returns the build, config and summary of the new one.
    /// </summary>
    private async Task<Release> NewReleaseAsync(App app, Func<Serving, (Build? Build, Config Config, string Summary)> compose,
        Caller caller, Action<App>? changeApp, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.Apps.FromSqlInterpolated($"SELECT * FROM apps WHERE \"Id\" = {app.Id} FOR UPDATE").ToListAsync(ct);
        var latest = await db.Releases.Where(r => r.AppId == app.Id).OrderByDescending(r => r.Version).FirstAsync(ct);
        var serving = await ServingAsync(app, ct);
        var (build, config, summary) = compose(serving);
        if (build is not null && db.Entry(build).State == EntityState.Detached && !await db.Builds.AnyAsync(b => b.Id == build.Id, ct))
            db.Builds.Add(build);
        if (db.Entry(config).State == EntityState.Detached && !await db.Configs.AnyAsync(c => c.Id == config.Id, ct))
            db.Configs.Add(config);
        var release = Release.Next(latest, build, config, caller.Username, summary, clock.GetUtcNow());
        db.Releases.Add(release);
        changeApp?.Invoke(app);
        app.Touch(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return release;
    }

    public async Task<Serving> ServingAsync(App app, CancellationToken ct)
    {
        var release = await db.Releases.Where(r => r.AppId == app.Id && r.State == ReleaseState.Succeeded)
            .OrderByDescending(r => r.Version).FirstAsync(ct);
        var build = release.BuildId is { } id ? await db.Builds.SingleAsync(b => b.Id == id, ct) : null;
        var config = await db.Configs.SingleAsync(c => c.Id == release.ConfigId, ct);
        return new Serving(release, build, config);
    }
}
