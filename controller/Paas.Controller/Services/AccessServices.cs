using Microsoft.EntityFrameworkCore;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>Collaborators: users who may use an app they do not own.</summary>
public sealed class CollaboratorService(PaasDbContext db, UserService users, Activity activity, TimeProvider clock)
{
    public async Task<List<string>> ListAsync(App app, CancellationToken ct) =>
        await db.Collaborators.Where(c => c.AppId == app.Id)
            .Join(db.Users, c => c.UserId, u => u.Id, (_, u) => u.UserName!)
            .OrderBy(n => n).ToListAsync(ct);

    public async Task AddAsync(Caller caller, App app, string? username, CancellationToken ct)
    {
        var user = await users.RequireAsync(username);
        if (user.UserName == app.Owner) throw new ValidationFailedException("username", $"{user.UserName} owns {app.Name} already.");
        if (await db.Collaborators.AnyAsync(c => c.AppId == app.Id && c.UserId == user.Id, ct))
            throw new ValidationFailedException("username", $"{user.UserName} is already a collaborator on {app.Name}.");
        db.Collaborators.Add(new Collaborator { AppId = app.Id, UserId = user.Id, Created = clock.GetUtcNow() });
        activity.Record(app.Name, caller.Username, "perm", $"{caller.Username} added {user.UserName} as a collaborator");
        await db.SaveChangesAsync(ct);
    }

    public async Task RemoveAsync(Caller caller, App app, string username, CancellationToken ct)
    {
        var user = await users.RequireAsync(username);
        var removed = await db.Collaborators.Where(c => c.AppId == app.Id && c.UserId == user.Id).ExecuteDeleteAsync(ct);
        if (removed == 0) throw new NotFoundException("User", $"{user.UserName} is not a collaborator on {app.Name}.");
        activity.Record(app.Name, caller.Username, "perm", $"{caller.Username} removed {user.UserName} as a collaborator");
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Users' SSH public keys, for pushing over SSH.</summary>
public sealed class KeyService(PaasDbContext db, TimeProvider clock)
{
    public IQueryable<SshKey> List(Caller caller) => db.Keys.Where(k => k.Owner == caller.Username).OrderBy(k => k.Name);

    public async Task<SshKey> AddAsync(Caller caller, string? name, string? publicKey, CancellationToken ct)
    {
        var key = new SshKey(name ?? "", caller.Username, publicKey ?? "", clock.GetUtcNow());
        if (await db.Keys.AnyAsync(k => k.Fingerprint == key.Fingerprint, ct))
            throw new ValidationFailedException("key", "This public key is already in use by an account.", "Public Key is already in use");
        if (await db.Keys.AnyAsync(k => k.Owner == caller.Username && k.Name == key.Name, ct))
            throw new ValidationFailedException("id", $"You already have a key named {key.Name}; remove it first or choose another name.");
        db.Keys.Add(key);
        await db.SaveChangesAsync(ct);
        return key;
    }

    public async Task RemoveAsync(Caller caller, string name, CancellationToken ct)
    {
        if (await db.Keys.Where(k => k.Owner == caller.Username && k.Name == name).ExecuteDeleteAsync(ct) == 0)
            throw new NotFoundException("Key", $"You have no key named {name}. See yours with: paas keys");
    }

    /// <summary>Who owns a key (by MD5 fingerprint), for the SSH receiver.</summary>
    public Task<SshKey?> FindByFingerprintAsync(string fingerprint, CancellationToken ct) =>
        db.Keys.AsNoTracking().SingleOrDefaultAsync(k => k.Fingerprint == fingerprint, ct);
}
