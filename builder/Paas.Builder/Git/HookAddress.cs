using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Paas.Builder.Git;

/// <summary>Where a repository's pre-receive hook reaches this builder: its own listening address, on loopback.</summary>
public sealed class HookAddress(IServer server)
{
    public const string Path = "/internal/pre-receive";

    public string Url
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                ?? throw new InvalidOperationException("The builder listens on no http:// address, so its git hook cannot call it back.");
            var uri = new UriBuilder(address.Replace("://+:", "://127.0.0.1:", StringComparison.Ordinal).Replace("://*:", "://127.0.0.1:", StringComparison.Ordinal));
            if (uri.Host is "0.0.0.0" or "[::]" or "::" or "localhost") uri.Host = "127.0.0.1";
            uri.Path = Path;
            return uri.Uri.ToString();
        }
    }
}
