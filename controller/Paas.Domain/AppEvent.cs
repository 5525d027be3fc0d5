namespace Paas.Domain;

/// <summary>
/// One entry of an app's activity: who changed what, when (`paas apps:events`). Kept by app name,
/// so the record of a destroyed app's last actions outlives it.
/// </summary>
public sealed class AppEvent
{
    private AppEvent() { App = ""; User = ""; Kind = ""; Message = ""; }

    public AppEvent(string app, string user, string kind, string message, DateTimeOffset now)
    {
        Id = Guid.NewGuid();
        App = app;
        User = user;
        Kind = kind;
        Message = message;
        Created = now;
    }

    public Guid Id { get; private set; }
    public string App { get; private set; }
    public string User { get; private set; }

    /// <summary>What happened, for filtering: "app", "release", "config", "scale", "domain", "perm", ...</summary>
    public string Kind { get; private set; }

    /// <summary>A sentence: "alice added GREETING (v4)".</summary>
    public string Message { get; private set; }

    public DateTimeOffset Created { get; private set; }
}
