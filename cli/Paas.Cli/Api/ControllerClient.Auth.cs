namespace Paas.Cli.Api;

// auth/, users/, admin/perms/ and keys/: who may do what.
public sealed partial class ControllerClient
{
    public Task<User> RegisterAsync(RegisterRequest user, CancellationToken cancellationToken) =>
        SendAsync<User>(HttpMethod.Post, "v2/auth/register/", JsonContent(user), cancellationToken);

    /// <summary>Exchanges a username and password for a token; sent without any earlier token.</summary>
    public async Task<string> LoginAsync(string username, string password, CancellationToken cancellationToken)
    {
        var answer = await SendAsync<TokenResponse>(
            HttpMethod.Post, "v2/auth/login/", JsonContent(new LoginRequest(username, password)), cancellationToken, authenticate: false);
        return string.IsNullOrEmpty(answer.Token)
            ? throw new CliException($"The controller at {Controller} accepted the login but sent no token")
            : answer.Token;
    }

    public Task<User> WhoAmIAsync(CancellationToken cancellationToken) =>
        GetAsync<User>("v2/auth/whoami/", cancellationToken);

    public Task ChangePasswordAsync(PasswordChange change, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, "v2/auth/passwd/", JsonContent(change), cancellationToken);

    /// <summary>
    /// New token for the caller (<c>{}</c>), for <paramref name="username"/> (admin), or for every
    /// user (<paramref name="all"/>, admin); the earlier tokens stop working. Null when the answer has none.
    /// </summary>
    public async Task<string?> RegenerateTokenAsync(string? username, bool all, CancellationToken cancellationToken)
    {
        object body = all ? new { all = true } : username is null ? new { } : new { username };
        var answer = await SendAsync<TokenResponse>(HttpMethod.Post, "v2/auth/tokens/", JsonContent(body), cancellationToken);
        return string.IsNullOrEmpty(answer.Token) ? null : answer.Token;
    }

    /// <summary>DELETE with a JSON body, as Deis has it: <c>{}</c> for oneself, <c>{"username"}</c> for another (admin).</summary>
    public Task CancelAccountAsync(string? username, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(
            HttpMethod.Delete, "v2/auth/cancel/", username is null ? JsonContent(new { }) : JsonContent(new { username }), cancellationToken);

    public Task<IReadOnlyList<User>> ListUsersAsync(CancellationToken cancellationToken) =>
        ListAllAsync<User>("v2/users/", cancellationToken);

    public async Task<IReadOnlyList<string>> ListAdministratorsAsync(CancellationToken cancellationToken) =>
        (await ListAllAsync<User>("v2/admin/perms/", cancellationToken)).Select(user => user.Username).ToList();

    public Task AddAdministratorAsync(string username, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, "v2/admin/perms/", JsonContent(new { username }), cancellationToken);

    public Task RemoveAdministratorAsync(string username, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"v2/admin/perms/{Escape(username)}", null, cancellationToken);

    public Task<IReadOnlyList<SshKey>> ListKeysAsync(CancellationToken cancellationToken) =>
        ListAllAsync<SshKey>("v2/keys/", cancellationToken);

    /// <param name="publicKey">The whole <c>.pub</c> file, trailing newline included.</param>
    public Task<SshKey> AddKeyAsync(string id, string publicKey, CancellationToken cancellationToken) =>
        SendAsync<SshKey>(HttpMethod.Post, "v2/keys/", JsonContent(new { id, @public = publicKey }), cancellationToken);

    public Task RemoveKeyAsync(string id, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"v2/keys/{Escape(id)}", null, cancellationToken);
}
