using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Paas.Router;

/// <summary>
/// Kestrel's listeners when the router also serves HTTPS. Kestrel ignores --urls once any listener is set in code, so
/// the plain HTTP addresses are bound here too.
/// </summary>
public static class RouterListeners
{
    public static void Listen(KestrelServerOptions kestrel, string httpUrls, string httpsUrl)
    {
        foreach (var url in httpUrls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Listen(kestrel, BindingAddress.Parse(url), _ => { });
        }

        var certificates = kestrel.ApplicationServices.GetRequiredService<CertificateSelector>();
        // A handshake callback rather than ServerCertificateSelector, because only an SslStreamCertificateContext
        // carries the certificate's intermediates to the client.
        var tls = new TlsHandshakeCallbackOptions
        {
            OnConnection = context => ValueTask.FromResult(new SslServerAuthenticationOptions
            {
                // No certificate covers the name (or the client sent none): the handshake fails. A default
                // certificate would only earn a name-mismatch warning and tell the client which domains live here.
                ServerCertificateContext = certificates.Select(context.ClientHelloInfo.ServerName)
                    ?? throw new AuthenticationException($"No certificate for '{context.ClientHelloInfo.ServerName}'."),
            }),
        };
        Listen(kestrel, BindingAddress.Parse(httpsUrl), listener => listener.UseHttps(tls));
    }

    // The address forms Kestrel itself accepts in --urls.
    private static void Listen(KestrelServerOptions kestrel, BindingAddress address, Action<ListenOptions> configure)
    {
        if (address.IsUnixPipe)
        {
            kestrel.ListenUnixSocket(address.UnixPipePath, configure);
        }
        else if (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else if (IPAddress.TryParse(address.Host, out var ip))
        {
            kestrel.Listen(ip, address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }
}
