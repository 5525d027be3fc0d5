using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Paas.Domain;

/// <summary>
/// A TLS certificate and its key, uploaded once (`paas certs:add`) and attached to domains; the router
/// presents it by SNI. What users see (names, dates, fingerprint) is read from the certificate itself.
/// </summary>
public sealed class Certificate
{
    private Certificate() { Name = ""; Owner = ""; CertificatePem = ""; KeyPem = ""; CommonName = ""; Fingerprint = ""; Issuer = ""; Subject = ""; }

    public Certificate(string name, string owner, string certificatePem, string keyPem, DateTimeOffset now)
    {
        ValidateName(name);
        Name = name;
        Owner = owner;
        (CertificatePem, KeyPem) = (certificatePem.Trim() + "\n", keyPem.Trim() + "\n");
        using var certificate = Load(certificatePem, keyPem);
        CommonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        Sans = SubjectAlternativeNames(certificate);
        Fingerprint = string.Join(':', Convert.ToHexString(SHA256.HashData(certificate.RawData)).Chunk(2).Select(c => new string(c)));
        Starts = certificate.NotBefore.ToUniversalTime();
        Expires = certificate.NotAfter.ToUniversalTime();
        Issuer = certificate.Issuer;
        Subject = certificate.Subject;
        Created = Updated = now;
    }

    public string Name { get; private set; }
    public string Owner { get; private set; }
    public string CertificatePem { get; private set; }
    public string KeyPem { get; private set; }
    public string CommonName { get; private set; }
    public List<string> Sans { get; private set; } = [];
    public string Fingerprint { get; private set; }
    public DateTimeOffset Starts { get; private set; }
    public DateTimeOffset Expires { get; private set; }
    public string Issuer { get; private set; }
    public string Subject { get; private set; }
    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    /// <summary>Whether the certificate is valid for <paramref name="host"/> (its CN or SANs, one-label wildcards included).</summary>
    public bool Covers(string host) =>
        Sans.Append(CommonName).Any(name =>
            string.Equals(name, host, StringComparison.OrdinalIgnoreCase) ||
            (name.StartsWith("*.", StringComparison.Ordinal) && host.IndexOf('.', StringComparison.Ordinal) is var dot && dot > 0 &&
             string.Equals(name[2..], host[(dot + 1)..], StringComparison.OrdinalIgnoreCase)));

    private static X509Certificate2 Load(string certificatePem, string keyPem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
            throw new ValidationFailedException("certificate", "A certificate (PEM) is required.", "This field may not be blank.");
        if (string.IsNullOrWhiteSpace(keyPem))
            throw new ValidationFailedException("key", "The certificate's private key (PEM) is required.", "This field may not be blank.");
        try
        {
            return X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (CryptographicException e)
        {
            throw new ValidationFailedException("certificate",
                $"Could not load certificate: {e.Message.TrimEnd('.')}. Give the certificate and its matching private key, both PEM.",
                "Could not load certificate");
        }
        catch (ArgumentException e)
        {
            throw new ValidationFailedException("certificate", $"Could not load certificate: {e.Message}", "Could not load certificate");
        }
    }

    private static List<string> SubjectAlternativeNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(extension => extension.EnumerateDnsNames())
            .ToList();

    public static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ValidationFailedException("name", "A certificate needs a name.", "This field may not be blank.");
        try
        {
            AppName.Validate(name);
        }
        catch (ValidationFailedException)
        {
            throw new ValidationFailedException("name", $"Certificate name '{name}' is invalid: use a-z (lowercase), 0-9 and hyphens.",
                "Can only contain a-z (lowercase), 0-9 and hyphens");
        }
    }
}
