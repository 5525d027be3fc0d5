using System.Net;

namespace Paas.Router.Tests;

public sealed class WhitelistTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.20.30.40", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("10.1.2.3/8", "10.200.0.1", true)] // host bits under the prefix do not matter
    [InlineData("192.168.1.0/25", "192.168.1.127", true)]
    [InlineData("192.168.1.0/25", "192.168.1.128", false)]
    [InlineData("127.0.0.1", "127.0.0.1", true)] // a bare address is a /32
    [InlineData("127.0.0.1", "127.0.0.2", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // an IPv4 client on a dual-stack socket
    [InlineData("0.0.0.0/0", "203.0.113.9", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)] // IPv4 networks do not cover IPv6 clients
    [InlineData("2001:db8::/32", "2001:db8:1234::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("::1", "::1", true)] // a bare address is a /128
    [InlineData("::1", "::2", false)]
    [InlineData("10.0.0.0/8, 172.16.0.0/12", "172.20.0.1", true)]
    [InlineData("not-an-address,10.0.0.0/33,10.0.0.0/x", "10.0.0.1", false)] // typos deny rather than allow
    [InlineData("not-an-address,127.0.0.0/8", "127.0.0.1", true)]
    public void AllowsClientsInAnyListedNetwork(string entries, string client, bool allowed)
    {
        Assert.Equal(allowed, Whitelist.Parse(entries).Allows(IPAddress.Parse(client)));
    }
}
