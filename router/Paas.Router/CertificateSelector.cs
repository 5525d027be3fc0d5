using System.Collections.Frozen;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Paas.Contracts;

namespace Paas.Router;

/// <summary>
/// Chooses the certificate for a TLS handshake by its SNI name, among the route table's certificates: an exact
/// domain first, then a wildcard ("*.example.com" covers "a.example.com", not "a.b.example.com" nor "example.com").
/// </summary>
public sealed partial class CertificateSelector(ILogger<CertificateSelector> logger)
{
    private volatile ByName _current = new(FrozenDictionary<string, SslStreamCertificateContext>.Empty,
        FrozenDictionary<string, SslStreamCertificateContext>.Empty);

    // Parsed certificates by their PEM, kept across table changes: most changes are backends, not certificates.
    // A null value is a certificate that did not parse, so it is reported once rather than on every change.
    private Dictionary<(string Certificate, string Key), SslStreamCertificateContext?> _parsed = [];

    /// <returns>The certificate and its chain, or null when no certificate covers the name.</returns>
    public SslStreamCertificateContext? Select(string? serverName)
    {
        if (string.IsNullOrEmpty(serverName))
        {
            return null;
        }
        var byName = _current;
        if (byName.Exact.TryGetValue(serverName, out var certificate))
        {
            return certificate;
        }
        var dot = serverName.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && byName.Wildcard.TryGetValue(serverName[(dot + 1)..], out certificate) ? certificate : null;
    }

    /// <summary>Swaps in the certificates of a new route table. Called by one thread at a time (the poll loop).</summary>
    public void Update(IReadOnlyList<RouteCertificate> certificates)
    {
        var parsed = new Dictionary<(string, string), SslStreamCertificateContext?>();
        var exact = new Dictionary<string, SslStreamCertificateContext>(StringComparer.OrdinalIgnoreCase);
        var wildcard = new Dictionary<string, SslStreamCertificateContext>(StringComparer.OrdinalIgnoreCase);
        foreach (var certificate in certificates)
        {
            var key = (certificate.CertificatePem, certificate.KeyPem);
            if (!parsed.TryGetValue(key, out var context))
            {
                context = _parsed.TryGetValue(key, out var known) ? known : Parse(certificate);
                parsed[key] = context;
            }
            if (context is null)
            {
                continue;
            }
            foreach (var domain in certificate.Domains)
            {
                // The first certificate listed for a domain wins.
                if (domain.StartsWith("*.", StringComparison.Ordinal))
                {
                    wildcard.TryAdd(domain[2..], context);
                }
                else
                {
                    exact.TryAdd(domain, context);
                }
            }
        }

        _parsed = parsed;
        _current = new ByName(exact.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase), wildcard.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    private SslStreamCertificateContext? Parse(RouteCertificate certificate)
    {
        try
        {
            // CreateFromPem's key lives only in memory, which SslStream accepts on Linux, where the router runs.
            // (Windows' SChannel would need it re-imported as PKCS#12 first.)
            var leaf = X509Certificate2.CreateFromPem(certificate.CertificatePem, certificate.KeyPem);
            // Certificates after the first are the chain (e.g. a fullchain.pem); clients need the intermediates.
            var chain = new X509Certificate2Collection();
            chain.ImportFromPem(certificate.CertificatePem);
            var intermediates = new X509Certificate2Collection(chain.Where(c => c.Thumbprint != leaf.Thumbprint).ToArray());
            return SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }
#pragma warning disable CA1031 // Any certificate that cannot be used is reported and left out; the others still serve.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogUnusable(certificate.Name, string.Join(", ", certificate.Domains), e.Message);
            return null;
        }
    }

    private sealed record ByName(
        FrozenDictionary<string, SslStreamCertificateContext> Exact,
        FrozenDictionary<string, SslStreamCertificateContext> Wildcard);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Certificate {Name} for {Domains} cannot be used: {Reason}")]
    private partial void LogUnusable(string name, string domains, string reason);
}
