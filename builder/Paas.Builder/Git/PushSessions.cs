using System.Collections.Concurrent;

namespace Paas.Builder.Git;

/// <summary>A push in progress: who pushes to which app, and since when.</summary>
public sealed record PushSession(Guid Id, string App, string User, string RepositoryPath, string WebUrl, long StartedTimestamp);

/// <summary>
/// Pushes in progress, found again by id when the repository's pre-receive hook calls back; and one
/// push per app at a time (a second one is refused while the first runs).
/// </summary>
public sealed class PushSessions
{
    private readonly ConcurrentDictionary<Guid, PushSession> sessions = new();
    private readonly ConcurrentDictionary<string, Guid> busyApps = new(StringComparer.Ordinal);

    public bool IsBusy(string app) => busyApps.ContainsKey(app);

    /// <summary>Starts a push, or returns null when another push to the app is under way.</summary>
    public PushSession? TryStart(string app, string user, string repositoryPath, string webUrl, long startedTimestamp)
    {
        var session = new PushSession(Guid.NewGuid(), app, user, repositoryPath, webUrl, startedTimestamp);
        if (!busyApps.TryAdd(app, session.Id)) return null;
        sessions[session.Id] = session;
        return session;
    }

    public PushSession? Find(Guid id) => sessions.GetValueOrDefault(id);

    public void End(PushSession session)
    {
        sessions.TryRemove(session.Id, out _);
        busyApps.TryRemove(new KeyValuePair<string, Guid>(session.App, session.Id));
    }

    public static string BusyMessage(string app) =>
        $"Another git push is ongoing for {app}; wait for it to finish, then push again.";
}
