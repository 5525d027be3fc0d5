using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Paas.EndToEnd.Tests.Support;
using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>What the router does for an app, as set with the CLI: domains, certificates, HTTPS, maintenance, whitelists, routing.</summary>
[Collection(CommandsCollection.Name)]
public sealed class RoutingTests(EndToEndPlatform platform)
{
    [Fact]
    public async Task A_custom_domain_routes_to_the_app_over_HTTP_and_over_HTTPS_with_its_certificate()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("shop", "the shop");
        var domain = $"www.{app}.test";

        Assert.Equal($"Adding {domain} to {app}... done\n", await alice.Ok(repo, "domains:add", domain));
        Assert.Equal($"=== {app} Domains\n{app}\n{domain}\n", await alice.Ok(repo, "domains"));
        Assert.Contains((await alice.JsonAsync(repo, "domains:list")).EnumerateArray(), d => d.GetProperty("domain").GetString() == domain);
        Assert.Equal("the shop\n", await platform.WaitForStatusAsync(domain, HttpStatusCode.OK));

        // A certificate made here, uploaded, attached, and served by SNI.
        var (certFile, keyFile, thumbprint) = await SelfSignedAsync(alice.Home, domain);
        var certName = $"{app}-cert";
        Assert.Equal($"Adding certificate {certName}... done\n", await alice.Ok(repo, "certs:add", certName, certFile, keyFile));
        Assert.Equal($"Attaching certificate {certName} to {domain}... done\n", await alice.Ok(repo, "certs:attach", certName, domain));
        var certs = await alice.Ok(repo, "certs");
        Assert.Matches($@"(?m)^{certName}\s+{domain}\s+\S+Z\s+{domain}$", certs);
        var info = await alice.JsonAsync(repo, "certs:info", certName);
        Assert.Equal(domain, info.GetProperty("common_name").GetString());
        var (_, body, served) = await PlatformExtensions.EventuallyAsync(() => TryGetOverTlsAsync(domain), r => r.Status == HttpStatusCode.OK,
            $"https://{domain} answering");
        Assert.Equal("the shop\n", body);
        Assert.Equal(thumbprint, served);

        // tls:enable: plain HTTP is redirected to the same URL over HTTPS.
        Assert.Equal($"Enabling HTTPS-only requests for {app}... done\n", await alice.Ok(repo, "tls:enable"));
        Assert.Contains("HTTPS enforced:  yes", await alice.Ok(repo, "tls"));
        await platform.WaitForStatusAsync(domain, HttpStatusCode.MovedPermanently, "/a/path?q=1");
        var (_, _, redirect) = await platform.GetAsync(domain, "/a/path?q=1");
        using (redirect)
            Assert.Equal($"https://{domain}:{platform.RouterTlsPort}/a/path?q=1", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await GetOverTlsAsync(domain)).Status);
        await alice.Ok(repo, "tls:disable");
        await platform.WaitForStatusAsync(domain, HttpStatusCode.OK);

        // Detached and removed: the router no longer has a certificate for the domain.
        Assert.Equal($"Detaching certificate {certName} from {domain}... done\n", await alice.Ok(repo, "certs:detach", certName, domain));
        Assert.Equal($"Removing certificate {certName}... done\n", await alice.Ok(repo, "certs:remove", certName));
        Assert.DoesNotContain(certName, await alice.Ok(repo, "certs"));
        await PlatformExtensions.EventuallyAsync(() => TryGetOverTlsAsync(domain), r => r.Served != thumbprint, "the certificate no longer served");

        Assert.Equal($"Removing {domain} from {app}... done\n", await alice.Ok(repo, "domains:remove", domain));
        await platform.WaitForStatusAsync(domain, HttpStatusCode.NotFound);
        Assert.Equal("the shop\n", await platform.BodyThroughRouterAsync(app));
    }

    [Fact]
    public async Task Maintenance_whitelists_and_routing_change_what_the_router_answers()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("switches", "switched app");
        var host = platform.Host(app);

        Assert.Equal($"Enabling maintenance mode for {app}... done\n", await alice.Ok(repo, "maintenance:on"));
        Assert.Equal("Maintenance mode is on.\n", await alice.Ok(repo, "maintenance"));
        Assert.Contains($"{app} is down for maintenance", await platform.WaitForStatusAsync(host, HttpStatusCode.ServiceUnavailable));
        await alice.Ok(repo, "maintenance:off");
        Assert.Equal("switched app\n", await platform.WaitForStatusAsync(host, HttpStatusCode.OK));

        // Another network only: we (127.0.0.1) are refused.
        Assert.Equal($"Adding 10.9.0.0/16 to {app}'s whitelist... done\n", await alice.Ok(repo, "whitelist:add", "10.9.0.0/16"));
        Assert.Contains($"Your address 127.0.0.1 is not allowed to reach {app}", await platform.WaitForStatusAsync(host, HttpStatusCode.Forbidden));
        await alice.Ok(repo, "whitelist:add", "127.0.0.1/32");
        Assert.Equal($"=== {app} Whitelisted Addresses\n10.9.0.0/16\n127.0.0.1/32\n", await alice.Ok(repo, "whitelist"));
        Assert.Equal("switched app\n", await platform.WaitForStatusAsync(host, HttpStatusCode.OK));
        await alice.Ok(repo, "whitelist:remove", "127.0.0.1/32");
        await platform.WaitForStatusAsync(host, HttpStatusCode.Forbidden);
        await alice.Ok(repo, "whitelist:remove", "10.9.0.0/16");
        Assert.Equal(0, (await alice.JsonAsync(repo, "whitelist")).GetArrayLength());
        await platform.WaitForStatusAsync(host, HttpStatusCode.OK);

        Assert.Equal($"Disabling routing for {app}... done\n", await alice.Ok(repo, "routing:disable"));
        Assert.Equal("Routing is disabled.\n", await alice.Ok(repo, "routing"));
        await platform.WaitForStatusAsync(host, HttpStatusCode.NotFound);
        await alice.Ok(repo, "routing:enable");
        Assert.Equal("Routing is enabled.\n", await alice.Ok(repo, "routing"));
        Assert.Equal("switched app\n", await platform.WaitForStatusAsync(host, HttpStatusCode.OK));

        var events = await alice.Ok(repo, "events");
        foreach (var what in (string[])["turned maintenance mode on", "turned maintenance mode off", "allowed 10.9.0.0/16", "disabled routing", "enabled routing"])
            Assert.Contains($"{alice.Username} {what}", events);
    }

    [Fact]
    public async Task Tags_are_kept_and_the_single_host_scheduler_says_plainly_that_it_ignores_them()
    {
        var (alice, app, repo) = await platform.DeploySampleAppAsync("tagged", "tagged app");
        const string notice = "Note: The docker scheduler runs every process on this one host and ignores tags; they are kept and take effect on Kubernetes.\n";

        var set = await alice.PaasIn(repo, "tags:set", "zone=eu-1", "disk=ssd");
        set.ShouldSucceed("tags:set");
        Assert.Equal($"Applying tags and restarting {app}... done, v3\n\n=== {app} Tags\ndisk  ssd\nzone  eu-1\n", set.Stdout);
        Assert.Equal(notice, set.Stderr);
        Assert.Equal("ssd", (await alice.JsonAsync(repo, "tags")).GetProperty("disk").GetString());
        Assert.Equal("tagged app\n", await platform.BodyThroughRouterAsync(app));

        var unset = await alice.PaasIn(repo, "tags:unset", "zone");
        unset.ShouldSucceed("tags:unset");
        Assert.Equal($"Removing tags and restarting {app}... done, v4\n\n=== {app} Tags\ndisk  ssd\n", unset.Stdout);
        Assert.Equal(notice, unset.Stderr);
    }

    /// <summary>A self-signed certificate for <paramref name="domain"/> in PEM files, as openssl would write them.</summary>
    private static async Task<(string CertFile, string KeyFile, string Thumbprint)> SelfSignedAsync(string dir, string domain)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={domain}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(domain);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30));
        var certFile = Path.Combine(dir, $"{domain}.crt");
        var keyFile = Path.Combine(dir, $"{domain}.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem() + "\n");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (certFile, keyFile, certificate.Thumbprint);
    }

    /// <summary>As <see cref="GetOverTlsAsync"/>; a handshake the router refuses (no certificate for the name yet) is status 0.</summary>
    private async Task<(HttpStatusCode Status, string Body, string? Served)> TryGetOverTlsAsync(string domain)
    {
        try
        {
            return await GetOverTlsAsync(domain);
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message, null);
        }
    }

    /// <summary>GET https://<paramref name="domain"/>/ at the router's TLS port, sending the domain as SNI; what it served.</summary>
    private async Task<(HttpStatusCode Status, string Body, string? Served)> GetOverTlsAsync(string domain)
    {
        string? served = null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                await socket.ConnectAsync(IPAddress.Loopback, platform.RouterTlsPort, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
            SslOptions =
            {
                // Self-signed: note which certificate the router chose rather than trust it.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    served = certificate?.GetCertHashString();
                    return served is not null;
                },
            },
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.GetAsync($"https://{domain}:{platform.RouterTlsPort}/");
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), served);
    }
}
