using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Services;

/// <summary>
/// Records what people do to apps (`paas apps:events`). Entries join the caller's unit of work, so
/// an event is stored exactly when the change it describes is.
/// </summary>
public sealed class Activity(PaasDbContext db, TimeProvider clock)
{
    public void Record(string app, string user, string kind, string message) =>
        db.Events.Add(new AppEvent(app, user, kind, message, clock.GetUtcNow()));
}

/// <summary>
/// Things a user should know about a request that succeeded (e.g. a setting this backend ignores);
/// sent as X-Paas-Notice headers, printed by the paas CLI.
/// </summary>
public sealed class Notices
{
    private readonly List<string> items = [];

    public IReadOnlyList<string> Items => items;

    public void Add(string notice) => items.Add(notice);
}
