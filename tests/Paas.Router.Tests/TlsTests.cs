using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Paas.Contracts;
using Paas.Router.Tests.Support;

namespace Paas.Router.Tests;

/// <summary>HTTPS on PAAS_ROUTER_HTTPS_URL, with the certificate chosen by the name the client asks for (SNI).</summary>
public sealed class TlsTests : IAsyncLifetime
{
    private readonly RouteCertificate _secure = TestCertificates.SelfSigned("secure-cert", "secure.example.com");
    private readonly RouteCertificate _wildcard = TestCertificates.SelfSigned("wildcard-cert", "*.wild.example.com");
    private FakeBackend _a = null!;
    private FakeController _controller = null!;
    private RouterUnderTest _router = null!;

    public async Task InitializeAsync()
    {
        _a = await FakeBackend.StartAsync("a");
        _controller = await FakeController.StartAsync();
        _router = await RouterUnderTest.StartAsync(_controller, https: true);
        await _router.ServeAsync(
            [
                new AppRoute("secure", ["secure.example.com"], [_a.Address]),
                new AppRoute("wild", ["x.wild.example.com"], [_a.Address]),
            ],
            [_secure, _wildcard]);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _controller.DisposeAsync();
        await _a.DisposeAsync();
    }

    [Theory]
    [InlineData("secure.example.com", "CN=secure.example.com")]
    [InlineData("SECURE.example.com", "CN=secure.example.com")]
    [InlineData("x.wild.example.com", "CN=*.wild.example.com")]
    [InlineData("other.wild.example.com", "CN=*.wild.example.com")]
    public async Task PresentsTheCertificateForTheRequestedName(string serverName, string subject)
    {
        Assert.Equal(subject, await HandshakeAsync(serverName));
    }

    [Theory]
    [InlineData("unknown.example.com")]
    [InlineData("a.b.wild.example.com")]
    [InlineData("wild.example.com")]
    public async Task FailsTheHandshakeForANameWithoutCertificate(string serverName)
    {
        var logged = _router.Logs.Entries.Count;

        var failure = await Record.ExceptionAsync(() => HandshakeAsync(serverName));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "a certificate"}");
        // A failed handshake is the client's business; it must not fill the router's log.
        Assert.DoesNotContain(_router.Logs.Entries.Skip(logged), entry => entry.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task ProxiesHttpsRequestsToTheAppSayingTheClientUsedHttps()
    {
        using var client = HttpsClient(_secure);

        var answer = await client.GetFromJsonAsync<BackendAnswer>(new Uri($"https://secure.example.com:{_router.HttpsUrl!.Port}/over-tls"));

        Assert.Equal(new BackendAnswer("a", $"secure.example.com:{_router.HttpsUrl.Port}", "/over-tls", "127.0.0.1", "https",
            $"secure.example.com:{_router.HttpsUrl.Port}"), answer);
    }

    [Fact]
    public async Task SendsTheIntermediatesOfAFullChainCertificate()
    {
        var (chained, intermediate) = TestCertificates.IssuedByIntermediate("chained-cert", "chained.example.com");
        await _router.ServeAsync([new AppRoute("chained", ["chained.example.com"], [_a.Address])], [chained]);

        List<string> sent = [];
        var subject = await HandshakeAsync("chained.example.com", chain => sent.AddRange(chain.ChainPolicy.ExtraStore.Select(c => c.Thumbprint)));

        Assert.Equal("CN=chained.example.com", subject);
        Assert.Contains(intermediate, sent);
    }

    /// <returns>The subject of the certificate the router presented.</returns>
    private async Task<string> HandshakeAsync(string serverName, Action<X509Chain>? inspect = null)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, _router.HttpsUrl!.Port);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            // The certificates are made by the test, so no authority vouches for them; the test checks which one came.
            RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                inspect?.Invoke(chain!);
                return certificate is not null;
            },
        });
        return tls.RemoteCertificate!.Subject;
    }

    private HttpClient HttpsClient(RouteCertificate trusted)
    {
        string expected;
        using (var certificate = X509Certificate2.CreateFromPem(trusted.CertificatePem))
        {
            expected = certificate.GetCertHashString();
        }
        var port = _router.HttpsUrl!.Port;
        var handler = new SocketsHttpHandler
        {
            // Any name resolves to the router, so the URL's host is both the SNI name and the Host header.
            ConnectCallback = async (_, cancellation) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            },
            // Trust exactly the test's certificate for the name, which no authority vouches for.
            SslOptions = { RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.GetCertHashString() == expected },
        };
        return new HttpClient(handler);
    }
}
