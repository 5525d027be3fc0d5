using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Paas.Contracts;

namespace Paas.Router.Tests.Support;

/// <summary>Certificates made on the spot, as the route table carries them (PEM certificate and PEM key).</summary>
public static class TestCertificates
{
    /// <summary>A self-signed certificate whose subject is CN=<paramref name="domain"/>.</summary>
    public static RouteCertificate SelfSigned(string name, string domain, params string[] moreDomains)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = Request(domain, [domain, .. moreDomains], key);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return new RouteCertificate(name, [domain, .. moreDomains], certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>
    /// A certificate issued by a throwaway intermediate authority, with the intermediate's certificate after it in the
    /// PEM (a full chain, as Let's Encrypt's fullchain.pem). The root is left out, as servers do not send it.
    /// </summary>
    public static (RouteCertificate Certificate, string IntermediateThumbprint) IssuedByIntermediate(string name, string domain)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = Authority("CN=Paas Test Root", rootKey).CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = Authority("CN=Paas Test Intermediate", intermediateKey)
            .Create(root, DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddHours(20), RandomNumberGenerator.GetBytes(8));
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = Request(domain, [domain], key).Create(
            intermediate, DateTimeOffset.UtcNow.AddMinutes(-3), DateTimeOffset.UtcNow.AddHours(12), RandomNumberGenerator.GetBytes(8));
        var chain = certificate.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem();
        return (new RouteCertificate(name, [domain], chain, key.ExportPkcs8PrivateKeyPem()), intermediate.Thumbprint);
    }

    private static CertificateRequest Authority(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request;
    }

    private static CertificateRequest Request(string subject, string[] domains, ECDsa key)
    {
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var domain in domains)
        {
            names.AddDnsName(domain);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }
}
