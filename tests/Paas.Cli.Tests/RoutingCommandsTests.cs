using System.Text.Json;
using Paas.Cli.Tests.Support;

namespace Paas.Cli.Tests;

/// <summary>domains:*, certs:*, maintenance:*, routing:*, whitelist:*, services:*, tls:*.</summary>
public sealed class RoutingCommandsTests : CommandTests
{
    private const string CertPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private const string KeyPem = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    private static readonly object Cert = new
    {
        name = "shop",
        common_name = "shop.example.com",
        san = new[] { "shop.example.com", "www.shop.example.com" },
        expires = "2027-11-23T00:00:00Z",
        starts = "2026-11-23T00:00:00Z",
        fingerprint = "AB:CD",
        issuer = "CN=Example CA",
        subject = "CN=shop.example.com",
        domains = new[] { "shop.example.com" },
        owner = "alice",
        created = "2026-11-23T10:00:00Z",
        updated = "2026-11-23T10:00:00Z",
    };

    private static object Settings(bool? maintenance, bool? routable) => new
    {
        app = "demo",
        owner = "alice",
        maintenance,
        routable,
        whitelist = Array.Empty<string>(),
        label = new { },
        autoscale = new { },
    };

    [Fact]
    public async Task Services_are_listed_as_a_table_or_json_and_none_says_web_serves_everything()
    {
        Controller.On("GET", "/v2/apps/demo/services/", 200, new
        {
            services = new[] { new { procfile_type = "webhooks", path_pattern = "/webhooks,~ ^/users/[0-9]+/hook" } },
        });
        Controller.On("GET", "/v2/apps/empty/services/", 200, new { services = Array.Empty<object>() });

        var list = await Machine.RunAsync("services", "-a", "demo");
        var json = await Machine.RunAsync("services:list", "--json", "-a", "demo");
        var none = await Machine.RunAsync("services:list", "-a", "empty");

        Succeeded(list);
        Assert.Matches(@"^=== demo Services\ntype\s+paths\s*\nwebhooks\s+/webhooks,~ \^/users/\[0-9\]\+/hook\s*\n$", list.Stdout);
        using (var services = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("webhooks", services.RootElement[0].GetProperty("procfile_type").GetString());
        }
        Assert.Equal("=== empty Services\nNone: web serves every path\n", none.Stdout);
    }

    [Fact]
    public async Task Services_add_needs_both_the_type_and_the_paths()
    {
        var result = await Machine.RunAsync("services:add", "--type", "webhooks", "-a", "demo");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--route", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(Controller.Requests);
    }

    [Fact]
    public async Task Domains_list_add_and_remove()
    {
        Controller
            .On("GET", "/v2/apps/demo/domains/?limit=100", 200, FakeController.Page(
                [new { domain = "demo", app = "demo" }, new { domain = "shop.example.com", app = "demo" }]))
            .On("POST", "/v2/apps/demo/domains/", 201, new { domain = "www.example.com", app = "demo" })
            .On("DELETE", "/v2/apps/demo/domains/www.example.com", 204);

        var list = await Machine.RunAsync("domains", "-a", "demo");
        var json = await Machine.RunAsync("domains:list", "--json", "-a", "demo");
        var add = await Machine.RunAsync("domains:add", "www.example.com", "-a", "demo");
        var remove = await Machine.RunAsync("domains:remove", "www.example.com", "-a", "demo");

        Assert.Equal("=== demo Domains\ndemo\nshop.example.com\n", list.Stdout);
        using (var domains = JsonDocument.Parse(json.Stdout))
        {
            Assert.Equal("shop.example.com", domains.RootElement[1].GetProperty("domain").GetString());
        }

        Assert.Equal("Adding www.example.com to demo... done\n", add.Stdout);
        Assert.Equal("""{"domain":"www.example.com"}""", BodyOf("POST", "/v2/apps/demo/domains/").GetRawText());
        Assert.Equal("Removing www.example.com from demo... done\n", remove.Stdout);
        Assert.Contains("DELETE /v2/apps/demo/domains/www.example.com", RequestLines);
    }

    [Fact]
    public async Task Domains_add_shows_the_controllers_refusal()
    {
        Controller.On("POST", "/v2/apps/demo/domains/", 400, new { title = "Bad Request", status = 400, domain = new[] { "Domain is already in use by another application" } });

        var result = await Machine.RunAsync("domains:add", "taken.example.com", "-a", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Adding taken.example.com to demo... failed\n", result.Stdout);
        Assert.Equal("Error: domain: Domain is already in use by another application\n", result.Stderr);
    }

    [Fact]
    public async Task Certs_list_and_info()
    {
        Controller
            .On("GET", "/v2/certs/?limit=100", 200, FakeController.Page([Cert]))
            .On("GET", "/v2/certs/shop", 200, Cert);

        var list = await Machine.RunAsync("certs");
        var info = await Machine.RunAsync("certs:info", "shop");
        var json = await Machine.RunAsync("certs:info", "shop", "--json");

        Succeeded(list);
        var lines = list.Stdout.Split('\n');
        Assert.Matches("^name +common name +expires +domains$", lines[0]);
        Assert.Matches("^shop +shop.example.com +2027-11-23T00:00:00Z +shop.example.com$", lines[1]);
        Succeeded(info);
        Assert.StartsWith(
            "=== shop Certificate\ncommon name:  shop.example.com\nalt names:    shop.example.com, www.shop.example.com\n",
            info.Stdout,
            StringComparison.Ordinal);
        Assert.Contains("domains:      shop.example.com\n", info.Stdout, StringComparison.Ordinal);
        using var cert = JsonDocument.Parse(json.Stdout);
        Assert.Equal("AB:CD", cert.RootElement.GetProperty("fingerprint").GetString());
    }

    [Fact]
    public async Task Certs_add_uploads_both_pem_files()
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "cert.pem"), CertPem);
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "key.pem"), KeyPem);
        Controller.On("POST", "/v2/certs/", 201, Cert);

        var result = await Machine.RunAsync("certs:add", "shop", "cert.pem", "key.pem");

        Succeeded(result);
        Assert.Equal("Adding certificate shop... done\n", result.Stdout);
        var body = BodyOf("POST", "/v2/certs/");
        Assert.Equal("shop", body.GetProperty("name").GetString());
        Assert.Equal(CertPem, body.GetProperty("certificate").GetString());
        Assert.Equal(KeyPem, body.GetProperty("key").GetString());
    }

    [Fact]
    public async Task Certs_add_says_which_file_it_cannot_use()
    {
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "cert.pem"), CertPem);
        File.WriteAllText(Path.Combine(Machine.WorkingDirectory, "notes.txt"), "not a key");

        var missing = await Machine.RunAsync("certs:add", "shop", "cert.pem", "missing.pem");
        var notPem = await Machine.RunAsync("certs:add", "shop", "cert.pem", "notes.txt");

        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("Error: Cannot read the key file missing.pem: ", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, notPem.ExitCode);
        Assert.Equal("Error: notes.txt is not a PEM file (no -----BEGIN line); the key must be in PEM\n", notPem.Stderr);
        Assert.Empty(Controller.Requests);
    }

    [Theory]
    [InlineData(new[] { "certs:remove", "shop" }, "DELETE /v2/certs/shop", "", "Removing certificate shop... done\n")]
    [InlineData(new[] { "certs:attach", "shop", "shop.example.com" }, "POST /v2/certs/shop/domain/", """{"domain":"shop.example.com"}""", "Attaching certificate shop to shop.example.com... done\n")]
    [InlineData(new[] { "certs:detach", "shop", "shop.example.com" }, "DELETE /v2/certs/shop/domain/shop.example.com", "", "Detaching certificate shop from shop.example.com... done\n")]
    [InlineData(new[] { "maintenance:on", "-a", "demo" }, "POST /v2/apps/demo/settings/", """{"maintenance":true}""", "Enabling maintenance mode for demo... done\n")]
    [InlineData(new[] { "maintenance:off", "-a", "demo" }, "POST /v2/apps/demo/settings/", """{"maintenance":false}""", "Disabling maintenance mode for demo... done\n")]
    [InlineData(new[] { "routing:enable", "-a", "demo" }, "POST /v2/apps/demo/settings/", """{"routable":true}""", "Enabling routing for demo... done\n")]
    [InlineData(new[] { "routing:disable", "-a", "demo" }, "POST /v2/apps/demo/settings/", """{"routable":false}""", "Disabling routing for demo... done\n")]
    [InlineData(new[] { "whitelist:add", "10.0.0.0/8,192.168.1.7", "-a", "demo" }, "POST /v2/apps/demo/whitelist/", """{"addresses":["10.0.0.0/8","192.168.1.7"]}""", "Adding 10.0.0.0/8, 192.168.1.7 to demo's whitelist... done\n")]
    [InlineData(new[] { "whitelist:remove", "10.0.0.0/8", "-a", "demo" }, "DELETE /v2/apps/demo/whitelist/", """{"addresses":["10.0.0.0/8"]}""", "Removing 10.0.0.0/8 from demo's whitelist... done\n")]
    [InlineData(new[] { "services:add", "--type", "webhooks", "--route", "/webhooks,~ ^/users/[0-9]*/hook", "-a", "demo" }, "POST /v2/apps/demo/services/", """{"procfile_type":"webhooks","path_pattern":"/webhooks,~ ^/users/[0-9]*/hook"}""", "Sending /webhooks,~ ^/users/[0-9]*/hook of demo to webhooks... done\n")]
    [InlineData(new[] { "services:remove", "webhooks", "-a", "demo" }, "DELETE /v2/apps/demo/services/", """{"procfile_type":"webhooks"}""", "Removing the webhooks service of demo... done\n")]
    [InlineData(new[] { "tls:enable", "-a", "demo" }, "POST /v2/apps/demo/tls/", """{"https_enforced":true}""", "Enabling HTTPS-only requests for demo... done\n")]
    [InlineData(new[] { "tls:disable", "-a", "demo" }, "POST /v2/apps/demo/tls/", """{"https_enforced":false}""", "Disabling HTTPS-only requests for demo... done\n")]
    public async Task Routing_changes_send_one_request(string[] args, string request, string body, string output)
    {
        var (method, path) = (request.Split(' ')[0], request.Split(' ')[1]);
        Controller.On(method, path, method == "DELETE" ? 204 : 201, method == "DELETE" ? null : Settings(true, true));

        var result = await Machine.RunAsync(args);

        Succeeded(result);
        var sent = Assert.Single(Controller.Requests);
        Assert.Equal(request, sent.ToString());
        Assert.Equal(body, sent.Body);
        Assert.Equal(output, result.Stdout);
    }

    [Theory]
    [InlineData(null, null, "Maintenance mode is off.\n", "Routing is enabled.\n")]
    [InlineData(true, false, "Maintenance mode is on.\n", "Routing is disabled.\n")]
    public async Task Maintenance_and_routing_info_read_the_settings(bool? maintenance, bool? routable, string maintenanceLine, string routingLine)
    {
        Controller.On("GET", "/v2/apps/demo/settings/", 200, Settings(maintenance, routable));

        var maintenanceInfo = await Machine.RunAsync("maintenance", "-a", "demo");
        var routingInfo = await Machine.RunAsync("routing:info", "-a", "demo");
        var json = await Machine.RunAsync("maintenance:info", "--json", "-a", "demo");

        Assert.Equal(maintenanceLine, maintenanceInfo.Stdout);
        Assert.Equal(routingLine, routingInfo.Stdout);
        using var settings = JsonDocument.Parse(json.Stdout);
        Assert.Equal("demo", settings.RootElement.GetProperty("app").GetString());
    }

    [Fact]
    public async Task Whitelist_lists_the_addresses()
    {
        Controller.On("GET", "/v2/apps/demo/whitelist/", 200, new { addresses = new[] { "10.0.0.0/8", "192.168.1.7" } });

        var list = await Machine.RunAsync("whitelist", "-a", "demo");
        var json = await Machine.RunAsync("whitelist:list", "--json", "-a", "demo");

        Assert.Equal("=== demo Whitelisted Addresses\n10.0.0.0/8\n192.168.1.7\n", list.Stdout);
        using var addresses = JsonDocument.Parse(json.Stdout);
        Assert.Equal(2, addresses.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Tls_info_says_whether_https_is_enforced()
    {
        Controller.On("GET", "/v2/apps/demo/tls/", 200, new { app = "demo", owner = "alice", https_enforced = true });

        var info = await Machine.RunAsync("tls", "-a", "demo");
        var json = await Machine.RunAsync("tls:info", "--json", "-a", "demo");

        Assert.Equal("=== demo TLS\nHTTPS enforced:  yes\n", info.Stdout);
        using var tls = JsonDocument.Parse(json.Stdout);
        Assert.True(tls.RootElement.GetProperty("https_enforced").GetBoolean());
    }
}
