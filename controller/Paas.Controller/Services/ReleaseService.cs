using Microsoft.EntityFrameworkCore;
using Paas.Contracts;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>
/// Makes releases (a build and a config, numbered per app) and deploys them. Every change holds the
/// app's lock from reading the serving release to the end of the deploy, so concurrent changes land one
/// after the other (none is lost) and versions never repeat or skip.
/// </summary>
public sealed class ReleaseService(
    PaasDbContext db,
    AppAccess access,
    AppLocks locks,
    Deployer deployer,
    Activity activity,
    UserService users,
    TimeProvider clock)
{
    public IQueryable<Release> List(App app) => db.Releases.Where(r => r.AppId == app.Id).OrderByDescending(r => r.Version);

    public async Task<Release> GetAsync(App app, int version, CancellationToken ct) =>
        await db.Releases.SingleOrDefaultAsync(r => r.AppId == app.Id && r.Version == version, ct)
        ?? throw new NotFoundException("Release", $"{app.Name} has no release v{version}. See its releases with: paas releases -a {app.Name}");

    public sealed record Result(Release Release, Deployer.Outcome Outcome);

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

        App app;
        try
        {
            app = await access.RequireAsync(caller, message.App, AppRight.Use, ct);
        }
        catch (PaasException e)
        {
            return new ReleaseNotDeployed(message.BuildId, message.App, null, e.Message);
        }
        await using var held = await locks.AcquireAsync(app.Name, ct);
        var release = await db.Releases.SingleOrDefaultAsync(r => r.BuildId == message.BuildId, ct);
        if (release is null)
        {
            var build = new Build(message.BuildId, app.Id, caller.Username, message.Image, message.Kind, message.Sha, message.Procfile, clock.GetUtcNow(),
                message.PhaseSeconds, message.Log);
            release = await NewReleaseLockedAsync(app, caller, Composed(caller, serving => (build, serving.Config, Release.DeployedSummary(caller.Username, build))),
                a => a.AdoptProcessTypes(build.ProcessTypes, clock.GetUtcNow()), ct);
        }
        var releaseSeconds = clock.GetElapsedTime(started).TotalSeconds;
        var readyStarted = clock.GetTimestamp();
        var outcome = await deployer.DeployLockedAsync(app, release, ct);
        var readySeconds = clock.GetElapsedTime(readyStarted).TotalSeconds;
        if (await db.Builds.SingleOrDefaultAsync(b => b.Id == message.BuildId, ct) is { } recorded)
        {
            recorded.RecordRelease(releaseSeconds, readySeconds, clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
        }
        return outcome.Succeeded
            ? new ReleaseDeployed(message.BuildId, message.App, release.Version, releaseSeconds, readySeconds)
            : new ReleaseNotDeployed(message.BuildId, message.App, release.Version, outcome.Failure!);
    }

    /// <summary>Keeps the record of a push that made no image (`paas builds:info` shows why); nothing is released.</summary>
    public async Task RecordFailedBuildAsync(BuildFailed message, CancellationToken ct)
    {
        var app = await db.Apps.AsNoTracking().SingleOrDefaultAsync(a => a.Name == message.App, ct);
        if (app is null || await db.Builds.AnyAsync(b => b.Id == message.BuildId, ct)) return;
        db.Builds.Add(Build.Failed(message.BuildId, app.Id, message.User, message.Kind, message.Sha, message.Reason,
            message.PhaseSeconds, message.Log, clock.GetUtcNow()));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Deploys an image built elsewhere (`paas builds:create`, Deis's `pull`).</summary>
    public async Task<(Build Build, Result Result)> CreateBuildAsync(Caller caller, App app, string? image,
        IReadOnlyDictionary<string, string>? procfile, CancellationToken ct, string kind = "image", string? sha = null)
    {
        if (string.IsNullOrWhiteSpace(image))
            throw new ValidationFailedException("image", "Give the image to deploy, e.g. registry.example.com/team/api:1.4.", "This field may not be blank.");
        if (image.Any(char.IsWhiteSpace) || image.Length > 512)
            throw new ValidationFailedException("image", $"'{image}' is not an image reference.");
        foreach (var type in procfile?.Keys ?? []) Procfile.ValidateType(type);
        var build = new Build(Guid.NewGuid(), app.Id, caller.Username, image.Trim(), kind, sha, procfile ?? new Dictionary<string, string>(), clock.GetUtcNow());
        var result = await ChangeAsync(caller, app, serving => (build, serving.Config, Release.DeployedSummary(caller.Username, build)),
            a => a.AdoptProcessTypes(build.ProcessTypes, clock.GetUtcNow()), ct);
        return (build, result);
    }

    /// <summary>Applies a config change (values, limits, health checks, tags...) as a new release and deploys it.</summary>
    public async Task<(Config Config, Result Result)> ChangeConfigAsync(Caller caller, App app, ConfigChange change, CancellationToken ct)
    {
        Config? changed = null;
        var result = await ChangeAsync(caller, app, serving =>
        {
            var (config, summary) = serving.Config.Apply(change, caller.Username, clock.GetUtcNow());
            changed = config;
            return (serving.Build, config, Release.ConfigSummary(caller.Username, summary));
        }, null, ct);
        return (changed!, result);
    }

    /// <summary>
    /// Rolls back to <paramref name="version"/>, or by default to the newest release older than the
    /// serving one that ran: a new release with that release's build and config.
    /// </summary>
    public async Task<Result> RollbackAsync(Caller caller, App app, int? version, CancellationToken ct)
    {
        await using var held = await locks.AcquireAsync(app.Name, ct);
        var serving = await ServingAsync(app, ct);
        Release target;
        if (version is { } v)
        {
            if (v < 1) throw new ValidationFailedException("version", "version cannot be below 0");
            target = await GetAsync(app, v, ct);
            if (target.Version == serving.Release.Version)
                throw new ValidationFailedException("version", $"v{v} is the release {app.Name} already runs.");
        }
        else
        {
            target = await db.Releases
                .Where(r => r.AppId == app.Id && r.Version < serving.Release.Version && r.State == ReleaseState.Succeeded && r.BuildId != null)
                .OrderByDescending(r => r.Version).FirstOrDefaultAsync(ct)
                ?? throw new ValidationFailedException("version", $"{app.Name} has no earlier release that ran to roll back to.");
        }
        var release = await NewReleaseLockedAsync(app, caller, (_, latest) => Release.RollbackTo(latest, target, caller.Username, clock.GetUtcNow()), null, ct);
        var outcome = await deployer.DeployLockedAsync(app, release, ct);
        return new Result(release, outcome);
    }

    private async Task<Result> ChangeAsync(Caller caller, App app, Func<Serving, (Build? Build, Config Config, string Summary)> compose,
        Action<App>? changeApp, CancellationToken ct)
    {
        await using var held = await locks.AcquireAsync(app.Name, ct);
        var release = await NewReleaseLockedAsync(app, caller, Composed(caller, compose), changeApp, ct);
        var outcome = await deployer.DeployLockedAsync(app, release, ct);
        return new Result(release, outcome);
    }

    /// <summary>What the serving release is made of, for building the next one.</summary>
    public sealed record Serving(Release Release, Build? Build, Config Config);

    /// <summary>
    /// Makes the next release from the serving one (the newest that succeeded: a failed release changed
    /// nothing): <paramref name="compose"/> returns its build, config and summary.
    /// </summary>
    private Func<Serving, Release, Release> Composed(Caller caller, Func<Serving, (Build? Build, Config Config, string Summary)> compose) =>
        (serving, latest) =>
        {
            var (build, config, summary) = compose(serving);
            if (build is not null && db.Entry(build).State == EntityState.Detached) db.Builds.Add(build);
            if (db.Entry(config).State == EntityState.Detached) db.Configs.Add(config);
            return Release.Next(latest, build, config, caller.Username, summary, clock.GetUtcNow());
        };

    /// <summary>
    /// Stores the release <paramref name="make"/> returns (pending), given the serving release and the
    /// newest one (whose version + 1 it takes), and records it in the app's activity.
    /// </summary>
    private async Task<Release> NewReleaseLockedAsync(App app, Caller caller, Func<Serving, Release, Release> make,
        Action<App>? changeApp, CancellationToken ct)
    {
        await db.Entry(app).ReloadAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The app lock already serializes changes; the row lock also guards against anything that skips it.
        await db.Apps.FromSqlInterpolated($"SELECT * FROM apps WHERE \"Id\" = {app.Id} FOR UPDATE").ToListAsync(ct);
        var latest = await db.Releases.Where(r => r.AppId == app.Id).OrderByDescending(r => r.Version).FirstAsync(ct);
        var release = make(await ServingAsync(app, ct), latest);
        db.Releases.Add(release);
        changeApp?.Invoke(app);
        app.Touch(clock.GetUtcNow());
        activity.Record(app.Name, caller.Username, "release", $"{release.Summary} (v{release.Version})");
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

    /// <summary>The config of the serving release: what the app runs with now.</summary>
    public async Task<Config> CurrentConfigAsync(App app, CancellationToken ct) => (await ServingAsync(app, ct)).Config;
}
