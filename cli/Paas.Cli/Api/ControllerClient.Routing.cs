namespace Paas.Cli.Api;

// domains/, certs/, settings/, whitelist/, services/ and tls/: how requests reach an app.
public sealed partial class ControllerClient
{
    public Task<IReadOnlyList<Domain>> ListDomainsAsync(string app, CancellationToken cancellationToken) =>
        ListAllAsync<Domain>($"{AppPath(app)}domains/", cancellationToken);

    public Task<Domain> AddDomainAsync(string app, string domain, CancellationToken cancellationToken) =>
        SendAsync<Domain>(HttpMethod.Post, $"{AppPath(app)}domains/", JsonContent(new { domain }), cancellationToken);

    public Task RemoveDomainAsync(string app, string domain, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"{AppPath(app)}domains/{Escape(domain)}", null, cancellationToken);

    public Task<IReadOnlyList<Certificate>> ListCertificatesAsync(CancellationToken cancellationToken) =>
        ListAllAsync<Certificate>("v2/certs/", cancellationToken);

    public Task<Certificate> GetCertificateAsync(string name, CancellationToken cancellationToken) =>
        GetAsync<Certificate>($"v2/certs/{Escape(name)}", cancellationToken);

    public Task<Certificate> AddCertificateAsync(string name, string certificate, string key, CancellationToken cancellationToken) =>
        SendAsync<Certificate>(HttpMethod.Post, "v2/certs/", JsonContent(new { name, certificate, key }), cancellationToken);

    public Task RemoveCertificateAsync(string name, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"v2/certs/{Escape(name)}", null, cancellationToken);

    public Task AttachCertificateAsync(string name, string domain, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, $"v2/certs/{Escape(name)}/domain/", JsonContent(new { domain }), cancellationToken);

    public Task DetachCertificateAsync(string name, string domain, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"v2/certs/{Escape(name)}/domain/{Escape(domain)}", null, cancellationToken);

    public Task<AppSettings> GetSettingsAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<AppSettings>($"{AppPath(app)}settings/", cancellationToken);

    /// <summary>A partial settings object, e.g. <c>{"maintenance": true}</c>; no release.</summary>
    public Task<AppSettings> ChangeSettingsAsync(string app, object change, CancellationToken cancellationToken) =>
        SendAsync<AppSettings>(HttpMethod.Post, $"{AppPath(app)}settings/", JsonContent(change), cancellationToken);

    public async Task<IReadOnlyList<string>> GetWhitelistAsync(string app, CancellationToken cancellationToken) =>
        (await GetAsync<Whitelist>($"{AppPath(app)}whitelist/", cancellationToken)).Addresses;

    public Task AddToWhitelistAsync(string app, IReadOnlyList<string> addresses, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, $"{AppPath(app)}whitelist/", JsonContent(new { addresses }), cancellationToken);

    /// <summary>DELETE with a JSON body, as Deis has it.</summary>
    public Task RemoveFromWhitelistAsync(string app, IReadOnlyList<string> addresses, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"{AppPath(app)}whitelist/", JsonContent(new { addresses }), cancellationToken);

    public async Task<IReadOnlyList<AppServiceRoute>> GetServicesAsync(string app, CancellationToken cancellationToken) =>
        (await GetAsync<AppServices>($"{AppPath(app)}services/", cancellationToken)).Services;

    public Task AddServiceAsync(string app, string type, string pathPattern, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Post, $"{AppPath(app)}services/",
            JsonContent(new { procfile_type = type, path_pattern = pathPattern }), cancellationToken);

    /// <summary>DELETE with a JSON body, as Deis has it.</summary>
    public Task RemoveServiceAsync(string app, string type, CancellationToken cancellationToken) =>
        SendIgnoringAnswerAsync(HttpMethod.Delete, $"{AppPath(app)}services/", JsonContent(new { procfile_type = type }), cancellationToken);

    public Task<TlsSettings> GetTlsAsync(string app, CancellationToken cancellationToken) =>
        GetAsync<TlsSettings>($"{AppPath(app)}tls/", cancellationToken);

    public Task<TlsSettings> SetHttpsEnforcedAsync(string app, bool enforced, CancellationToken cancellationToken) =>
        SendAsync<TlsSettings>(HttpMethod.Post, $"{AppPath(app)}tls/", JsonContent(new { https_enforced = enforced }), cancellationToken);
}
