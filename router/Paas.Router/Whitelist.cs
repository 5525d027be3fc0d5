using System.Net;
using System.Net.Sockets;

namespace Paas.Router;

/// <summary>
/// The client addresses allowed to reach an app: CIDRs ("10.0.0.0/8", "2001:db8::/32") or bare addresses (a /32 or
/// /128). Host bits under the prefix are ignored ("10.1.2.3/8" means 10.0.0.0/8), as nginx does for Deis's router.
/// </summary>
public sealed class Whitelist
{
    private readonly List<(byte[] Network, int PrefixLength)> _networks;

    private Whitelist(List<(byte[] Network, int PrefixLength)> networks) => _networks = networks;

    /// <summary>Parses comma-separated entries. An entry that is no address matches nobody, so a typo denies rather than allows.</summary>
    public static Whitelist Parse(string entries)
    {
        var networks = new List<(byte[], int)>();
        foreach (var entry in entries.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            if (!IPAddress.TryParse(slash < 0 ? entry : entry[..slash], out var address))
            {
                continue;
            }
            var bytes = Normalize(address).GetAddressBytes();
            var prefixLength = bytes.Length * 8;
            if (slash >= 0 && (!int.TryParse(entry[(slash + 1)..], out prefixLength) || prefixLength < 0 || prefixLength > bytes.Length * 8))
            {
                continue;
            }
            networks.Add((bytes, prefixLength));
        }
        return new Whitelist(networks);
    }

    /// <summary>An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; whitelists speak of a.b.c.d.</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public bool Allows(IPAddress client)
    {
        var bytes = Normalize(client).GetAddressBytes();
        return _networks.Exists(network => network.Network.Length == bytes.Length && SamePrefix(network.Network, bytes, network.PrefixLength));
    }

    private static bool SamePrefix(byte[] network, byte[] address, int prefixLength)
    {
        var whole = prefixLength / 8;
        if (!network.AsSpan(0, whole).SequenceEqual(address.AsSpan(0, whole)))
        {
            return false;
        }
        var rest = prefixLength % 8;
        var mask = (byte)(0xFF << (8 - rest));
        return rest == 0 || (network[whole] & mask) == (address[whole] & mask);
    }
}
