using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Paas.Testing;

namespace Paas.Deis.Tests.Support;

/// <summary>What an app's visitors get through the router: by host name, over HTTP or HTTPS (SNI).</summary>
public static class Web
{
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(PlatformFixture platform, string host, string path = "/")
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{platform.RouterPort}{path}");
        request.Headers.Host = $"{host}:{platform.RouterPort}";
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until <paramref name="host"/> answers <paramref name="status"/> with a body containing <paramref name="text"/>.</summary>
    public static async Task<string> WaitForAsync(PlatformFixture platform, string host, HttpStatusCode status, string text = "", string path = "/", TimeSpan? within = null)
    {
        var deadline = DateTimeOffset.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        var last = "(no answer)";
        do
        {
            try
            {
                var (got, body) = await GetAsync(platform, host, path);
                if (got == status && body.Contains(text, StringComparison.Ordinal)) return body;
                last = $"HTTP {(int)got}: {body}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        } while (DateTimeOffset.UtcNow < deadline);
        throw new Xunit.Sdk.XunitException($"{host}{path} did not answer {(int)status} with '{text}' through the router; last: {last}");
    }

    /// <summary>An HTTPS request to the router's TLS port for <paramref name="host"/> (SNI): the certificate it served and the body.</summary>
    public static async Task<(X509Certificate2? Certificate, string Body)> GetTlsAsync(PlatformFixture platform, string host)
    {
        X509Certificate2? served = null;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, platform.RouterTlsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                TargetHost = host,
                // Self-signed: the test checks which certificate came back (by its subject), not its chain.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
                    return served is not null;
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        var body = await http.GetStringAsync(new Uri($"https://{host}:{platform.RouterTlsPort}/"));
        return (served, body);
    }
}
