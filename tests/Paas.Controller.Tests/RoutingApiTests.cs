using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Paas.Testing;

namespace Paas.Controller.Tests;

[Collection(PlatformCollection.Name)]
public sealed class RoutingApiTests(PlatformFixture platform)
{
    private async Task<JsonElement> RouteOfAsync(string app)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ControllerUrl}/v2/hooks/routes/");
        request.Headers.Add("X-Deis-Builder-Auth", platform.Env["PAAS_SERVICE_TOKEN"]);
        using var response = await http.SendAsync(request);
        var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return table.GetProperty("apps").EnumerateArray().SingleOrDefault(a => a.GetProperty("app").GetString() == app);
    }

    private static (string Cert, string Key) SelfSigned(params string[] names)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest($"CN={names[0]}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names) san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    [Fact]
    public async Task Apps_start_with_their_default_domain_and_custom_domains_are_routed()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        var domains = await alice.Api.GetAsync($"/v2/apps/{app}/domains/");
        Assert.Equal(app, domains.Json.GetProperty("results")[0].GetProperty("domain").GetString());

        var custom = $"www.{app}.example.test";
        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/domains/", $$"""{"domain":"{{custom}}"}""")).Status);
        var hosts = (await RouteOfAsync(app)).GetProperty("hosts").EnumerateArray().Select(h => h.GetString()).ToList();
        Assert.Equal(new[] { $"{app}.{platform.Domain}", custom }.Order(), hosts.Order());

        using var bob = await platform.MemberAsync("bob");
        var other = await bob.NewAppAsync();
        var taken = await bob.Api.PostAsync($"/v2/apps/{other}/domains/", $$"""{"domain":"{{custom}}"}""");
        Assert.Equal("Domain is already in use by another application", taken.Json.GetProperty("domain")[0].GetString());
        var invalid = await alice.Api.PostAsync($"/v2/apps/{app}/domains/", """{"domain":"not a host!"}""");
        Assert.Equal("Hostname does not look valid.", invalid.Json.GetProperty("domain")[0].GetString());

        Assert.Equal(204, (await alice.Api.DeleteAsync($"/v2/apps/{app}/domains/{custom}")).Status);
        Assert.Equal(404, (await alice.Api.DeleteAsync($"/v2/apps/{app}/domains/{custom}")).Status);
        Assert.DoesNotContain(custom, (await RouteOfAsync(app)).GetProperty("hosts").ToString());
    }

    [Fact]
    public async Task Certificates_are_read_attached_to_covered_domains_and_given_to_the_router()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        var domain = $"secure.{app}.example.test";
        await alice.Api.PostAsync($"/v2/apps/{app}/domains/", $$"""{"domain":"{{domain}}"}""");
        var (cert, key) = SelfSigned(domain);
        var name = PlatformFixture.NewAppName("cert");

        var added = await alice.Api.PostAsync("/v2/certs/", JsonSerializer.Serialize(new { name, certificate = cert, key }));
        Assert.Equal(201, added.Status);
        Assert.Equal(domain, added.Json.GetProperty("common_name").GetString());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", added.Json.GetProperty("expires").GetString());

        var (_, otherKey) = SelfSigned(domain);
        var mismatched = await alice.Api.PostAsync("/v2/certs/", JsonSerializer.Serialize(new { name = name + "x", certificate = cert, key = otherKey }));
        Assert.Equal(400, mismatched.Status);
        Assert.StartsWith("Could not load certificate", mismatched.Json.GetProperty("certificate")[0].GetString());

        var wrongDomain = await alice.Api.PostAsync($"/v2/certs/{name}/domain/", $$"""{"domain":"{{app}}"}""");
        Assert.Equal(400, wrongDomain.Status);
        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/certs/{name}/domain/", $$"""{"domain":"{{domain}}"}""")).Status);
        Assert.Contains(domain, (await alice.Api.GetAsync($"/v2/certs/{name}")).Json.GetProperty("domains").ToString());

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{platform.ControllerUrl}/v2/hooks/routes/");
        request.Headers.Add("X-Deis-Builder-Auth", platform.Env["PAAS_SERVICE_TOKEN"]);
        var table = JsonDocument.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync()).RootElement;
        var routed = table.GetProperty("certificates").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        Assert.Equal([domain], routed.GetProperty("domains").EnumerateArray().Select(d => d.GetString()));

        using var bob = await platform.MemberAsync("bob");
        Assert.Equal(404, (await bob.Api.GetAsync($"/v2/certs/{name}")).Status);
        Assert.Equal(204, (await alice.Api.DeleteAsync($"/v2/certs/{name}/domain/{domain}")).Status);
        Assert.Equal(204, (await alice.Api.DeleteAsync($"/v2/certs/{name}")).Status);
    }

    [Fact]
    public async Task Maintenance_whitelist_routing_and_TLS_settings_reach_the_route_table()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/settings/", """{"maintenance":true}""")).Status);
        Assert.True((await RouteOfAsync(app)).GetProperty("maintenance").GetBoolean());

        var whitelisted = await alice.Api.PostAsync($"/v2/apps/{app}/whitelist/", """{"addresses":["10.1.0.0/16","192.168.0.7"]}""");
        Assert.Equal(["10.1.0.0/16", "192.168.0.7/32"], whitelisted.Json.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(400, (await alice.Api.PostAsync($"/v2/apps/{app}/whitelist/", """{"addresses":["not-an-ip"]}""")).Status);
        Assert.Equal(204, (await alice.Api.SendAsync(HttpMethod.Delete, $"/v2/apps/{app}/whitelist/", """{"addresses":["10.1.0.0/16"]}""", null)).Status);
        Assert.Equal(["192.168.0.7/32"], (await RouteOfAsync(app)).GetProperty("whitelist").EnumerateArray().Select(a => a.GetString()));

        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/tls/", """{"https_enforced":true}""")).Status);
        Assert.True((await RouteOfAsync(app)).GetProperty("https_enforced").GetBoolean());

        Assert.Equal(201, (await alice.Api.PostAsync($"/v2/apps/{app}/settings/", """{"routable":false}""")).Status);
        Assert.Equal(JsonValueKind.Undefined, (await RouteOfAsync(app)).ValueKind);
        var settings = await alice.Api.GetAsync($"/v2/apps/{app}/settings/");
        Assert.False(settings.Json.GetProperty("routable").GetBoolean());
        Assert.True(settings.Json.GetProperty("maintenance").GetBoolean());

        var autoscale = await alice.Api.PostAsync($"/v2/apps/{app}/settings/", """{"autoscale":{"web":{"min":1,"max":3,"cpu_percent":50}}}""");
        Assert.Equal(422, autoscale.Status);
        Assert.Contains("does not autoscale", autoscale.Json.GetProperty("detail").GetString());

        var events = (await alice.Api.GetAsync($"/v2/apps/{app}/events/")).Body;
        Assert.Contains("turned maintenance mode on", events);
        Assert.Contains("allowed 10.1.0.0/16, 192.168.0.7/32", events);
        Assert.Contains("disabled routing", events);
    }

    [Fact]
    public async Task Services_are_listed_added_and_removed_as_Deis_has_them_and_reach_the_route_table()
    {
        using var alice = await platform.MemberAsync("alice");
        var app = await alice.NewAppAsync();
        var none = await alice.Api.GetAsync($"/v2/apps/{app}/services/");
        Assert.Equal("""{"services":[]}""", none.Body);

        var added = await alice.Api.PostAsync($"/v2/apps/{app}/services/",
            """{"procfile_type":"webhooks","path_pattern":"/webhooks/notify,~ ^/users/[0-9]+/.*/webhooks/notify"}""");
        Assert.Equal(201, added.Status);
        Assert.Equal("webhooks", added.Json.GetProperty("procfile_type").GetString());
        var listed = (await alice.Api.GetAsync($"/v2/apps/{app}/services/")).Json.GetProperty("services");
        Assert.Equal("/webhooks/notify,~ ^/users/[0-9]+/.*/webhooks/notify", Assert.Single(listed.EnumerateArray()).GetProperty("path_pattern").GetString());
        var route = Assert.Single((await RouteOfAsync(app)).GetProperty("services").EnumerateArray());
        Assert.Equal("webhooks", route.GetProperty("type").GetString());
        Assert.Equal(["prefix:/webhooks/notify", "regex:^/users/[0-9]+/.*/webhooks/notify"],
            route.GetProperty("locations").EnumerateArray().Select(l => $"{l.GetProperty("kind").GetString()}:{l.GetProperty("value").GetString()}"));

        var twice = await alice.Api.PostAsync($"/v2/apps/{app}/services/", """{"procfile_type":"webhooks","path_pattern":"/other"}""");
        Assert.Equal(409, twice.Status);
        Assert.Contains("services:remove webhooks", twice.Json.GetProperty("detail").GetString());
        var badRegex = await alice.Api.PostAsync($"/v2/apps/{app}/services/", """{"procfile_type":"api","path_pattern":"~ ([a-z]"}""");
        Assert.Equal(400, badRegex.Status);
        Assert.Contains("is not a valid regular expression", badRegex.Body);
        Assert.Equal(400, (await alice.Api.PostAsync($"/v2/apps/{app}/services/", """{"path_pattern":"/x"}""")).Status);

        Assert.Equal(204, (await alice.Api.SendAsync(HttpMethod.Delete, $"/v2/apps/{app}/services/", """{"procfile_type":"webhooks"}""", null)).Status);
        Assert.Equal("""{"services":[]}""", (await alice.Api.GetAsync($"/v2/apps/{app}/services/")).Body);
        Assert.Equal(JsonValueKind.Null, (await RouteOfAsync(app)).GetProperty("services").ValueKind);
        var gone = await alice.Api.SendAsync(HttpMethod.Delete, $"/v2/apps/{app}/services/", """{"procfile_type":"webhooks"}""", null);
        Assert.Equal(404, gone.Status);
        var events = (await alice.Api.GetAsync($"/v2/apps/{app}/events/")).Body;
        Assert.Contains("added the webhooks service for /webhooks/notify", events);
        Assert.Contains("removed the webhooks service", events);
    }
}
