namespace Paas.Cli.Api;

// apps/, their collaborators (perms/) and their activity (events/).
public sealed partial class ControllerClient
{
    /// <summary>Without a name the body is empty (0 bytes) and the controller makes one up.</summary>
    public Task<App> CreateAppAsync(string? id, CancellationToken cancellationToken) =>
        SendAsync<App>(
            HttpMethod.Post,
            "v2/apps/",
            id is null ? EmptyJsonContent() : JsonContent(new CreateAppRequest(id)),
            cancellationToken);

    /// <summary>Every app the user can see, following the pages.</summary>
    public Task<IReadOnlyList<App>> ListAppsAsync(CancellationToken cancellationToken) =>
        ListAllAsync<App>("v2/apps/", cancellationToken);

    public Task<App> GetAppAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<App>(AppPath(app), cancellationToken);

    public Task DestroyAppAsync(string app, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, AppPath(app), null, cancellationToken);

    /// <summary>Deis transfers with a POST on the app itself.</summary>
    public Task TransferAppAsync(string app, string owner, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, AppPath(app), JsonContent(new { owner }), cancellationToken);

    /// <summary>The newest <paramref name="limit"/> events, newest first.</summary>
    public async Task<IReadOnlyList<AppEvent>> ListEventsAsync(string app, int limit, CancellationToken cancellationToken) =>
        (await GetAsync<Page<AppEvent>>($"{AppPath(app)}events/?limit={limit}", cancellationToken)).Results;

    public async Task<IReadOnlyList<string>> ListCollaboratorsAsync(string app, CancellationToken cancellationToken) =>
        (await GetAsync<Collaborators>($"{AppPath(app)}perms/", cancellationToken)).Users;

    public Task AddCollaboratorAsync(string app, string username, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, $"{AppPath(app)}perms/", JsonContent(new { username }), cancellationToken);

    public Task RemoveCollaboratorAsync(string app, string username, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"{AppPath(app)}perms/{Escape(username)}", null, cancellationToken);

    private sealed record Collaborators(IReadOnlyList<string> Users);
}
