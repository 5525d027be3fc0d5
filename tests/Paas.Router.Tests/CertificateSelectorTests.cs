using Microsoft.Extensions.Logging.Abstractions;
using Paas.Contracts;
using Paas.Router.Tests.Support;

namespace Paas.Router.Tests;

public sealed class CertificateSelectorTests
{
    private static readonly RouteCertificate Exact = TestCertificates.SelfSigned("exact", "www.example.com", "example.com");
    private static readonly RouteCertificate Wildcard = TestCertificates.SelfSigned("wildcard", "*.example.com");

    [Theory]
    [InlineData("www.example.com", "CN=www.example.com")] // the exact name wins over the wildcard that covers it too
    [InlineData("WWW.Example.COM", "CN=www.example.com")]
    [InlineData("example.com", "CN=www.example.com")]
    [InlineData("api.example.com", "CN=*.example.com")]
    [InlineData("a.b.example.com", null)] // a wildcard covers one label
    [InlineData("example.org", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ChoosesByExactNameThenOneLabelWildcard(string? serverName, string? subject)
    {
        var selector = new CertificateSelector(NullLogger<CertificateSelector>.Instance);
        selector.Update([Wildcard, Exact]);

        Assert.Equal(subject, selector.Select(serverName)?.TargetCertificate.Subject);
    }

    [Fact]
    public void LeavesOutACertificateThatDoesNotParseAndKeepsTheOthers()
    {
        var selector = new CertificateSelector(NullLogger<CertificateSelector>.Instance);
        var broken = new RouteCertificate("broken", ["broken.example.org"], "-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----", Exact.KeyPem);
        var mismatched = Exact with { Name = "mismatched", Domains = ["mismatched.example.org"], KeyPem = Wildcard.KeyPem };

        selector.Update([broken, mismatched, Exact]);

        Assert.Null(selector.Select("broken.example.org"));
        Assert.Null(selector.Select("mismatched.example.org"));
        Assert.Equal("CN=www.example.com", selector.Select("www.example.com")?.TargetCertificate.Subject);
    }

    [Fact]
    public void ANewTableReplacesTheCertificatesInWhole()
    {
        var selector = new CertificateSelector(NullLogger<CertificateSelector>.Instance);
        selector.Update([Exact]);

        selector.Update([Wildcard]);

        Assert.Equal("CN=*.example.com", selector.Select("www.example.com")?.TargetCertificate.Subject);
        Assert.Null(selector.Select("example.com"));
    }
}
