using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Paas.Contracts;
using Paas.Router.Tests.Support;

namespace Paas.Router.Tests;

/// <summary>What a user sees through the real router, with real backends and a route table served over HTTP.</summary>
public sealed class RoutingTests : IAsyncLifetime
{
    private FakeBackend _a = null!;
    private FakeBackend _b = null!;
    private FakeController _controller = null!;
    private RouterUnderTest _router = null!;

    public async Task InitializeAsync()
    {
        _a = await FakeBackend.StartAsync("a");
        _b = await FakeBackend.StartAsync("b");
        _controller = await FakeController.StartAsync();
        _router = await RouterUnderTest.StartAsync(_controller);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _controller.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task RoutesEachHostToItsAppIgnoringCaseAndPort()
    {
        await _router.ServeAsync(
        [
            new AppRoute("demo", ["demo.localhost", "www.demo.example"], [_a.Address]),
            new AppRoute("other", ["other.localhost"], [_b.Address]),
        ]);

        Assert.Equal("a", await _router.BackendAt("demo.localhost"));
        Assert.Equal("a", await _router.BackendAt("www.demo.example"));
        Assert.Equal("a", await _router.BackendAt("DEMO.LocalHost:8080"));
        Assert.Equal("b", await _router.BackendAt("other.localhost:80"));
    }

    [Fact]
    public async Task TheAppSeesTheOriginalHostAndForwardedHeaders()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);

        using var response = await _router.GetAsync("demo.localhost:8080", "/some/path?x=1");
        var answer = await response.Content.ReadFromJsonAsync<BackendAnswer>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new BackendAnswer("a", "demo.localhost:8080", "/some/path", "127.0.0.1", "http", "demo.localhost:8080"), answer);
    }

    [Fact]
    public async Task SpreadsRequestsRoundRobinOverTheBackends()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address, _b.Address])]);

        List<string?> answers = [];
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await _router.BackendAt("demo.localhost"));
        }

        Assert.Equal(3, answers.Count(backend => backend == "a"));
        Assert.Equal(3, answers.Count(backend => backend == "b"));
        Assert.All(answers.Zip(answers.Skip(1)), pair => Assert.NotEqual(pair.First, pair.Second));
    }

    [Fact]
    public async Task A_service_serves_its_paths_on_every_host_of_the_app_and_web_the_rest()
    {
        await _router.ServeAsync(
        [
            new AppRoute("demo", ["demo.localhost", "www.demo.example"], [_a.Address], Services:
            [
                new ServiceRoute("webhooks", [new RouteLocation("prefix", "/webhooks"), new RouteLocation("regex", "^/users/[0-9]+/notify$")], [_b.Address]),
            ]),
        ]);

        Assert.Equal("b", await _router.BackendAt("demo.localhost", "/webhooks/github"));
        Assert.Equal("b", await _router.BackendAt("www.demo.example", "/users/7/notify"));
        Assert.Equal("a", await _router.BackendAt("demo.localhost", "/users/me/notify"));
        Assert.Equal("a", await _router.BackendAt("www.demo.example", "/"));
        using var response = await _router.GetAsync("demo.localhost", "/webhooks/github?x=1");
        var answer = await response.Content.ReadFromJsonAsync<BackendAnswer>();
        Assert.Equal("/webhooks/github", answer!.Path); // the path reaches the service as it was asked for
    }

    [Fact]
    public async Task A_service_without_processes_gets_a_503_that_says_how_to_start_them_and_web_keeps_serving()
    {
        await _router.ServeAsync(
        [
            new AppRoute("demo", ["demo.localhost"], [_a.Address], Services: [new ServiceRoute("webhooks", [new RouteLocation("prefix", "/webhooks")], [])]),
        ]);

        using var response = await _router.GetAsync("demo.localhost", "/webhooks/github");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("demo has no webhooks processes running to serve /webhooks/github. Scale them with: paas ps:scale webhooks=1 -a demo",
            await response.Content.ReadAsStringAsync());
        Assert.Equal("a", await _router.BackendAt("demo.localhost", "/other"));
    }

    [Fact]
    public async Task A_service_path_still_obeys_the_apps_maintenance_mode()
    {
        await _router.ServeAsync(
        [
            new AppRoute("demo", ["demo.localhost"], [_a.Address], Maintenance: true,
                Services: [new ServiceRoute("webhooks", [new RouteLocation("prefix", "/webhooks")], [_b.Address])]),
        ]);

        using var response = await _router.GetAsync("demo.localhost", "/webhooks/github");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("down for maintenance", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnUnknownHostGets404()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);

        using var response = await _router.GetAsync("nope.localhost:8080");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No app is routed at nope.localhost.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAppWithoutWebProcessesGets503SayingHowToStartOne()
    {
        await _router.ServeAsync([new AppRoute("idle", ["idle.localhost"], [])]);

        using var response = await _router.GetAsync("idle.localhost");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("idle has no web processes running. Deploy it with git push, or scale it with: paas ps:scale web=1 -a idle",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AnAppThatEnforcesHttpsRedirectsPlainRequests()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address], HttpsEnforced: true)]);

        using var response = await _router.GetAsync("demo.localhost", "/cart?item=3");

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri("https://demo.localhost/cart?item=3"), response.Headers.Location);
    }

    [Fact]
    public async Task AnAppInMaintenanceGetsA503MaintenancePage()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address], Maintenance: true)]);

        using var response = await _router.GetAsync("demo.localhost", "/anything");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", page, StringComparison.Ordinal);
        Assert.Contains("demo is down for maintenance", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWhitelistLetsInOnlyTheAddressesItLists()
    {
        await _router.ServeAsync(
        [
            new AppRoute("private", ["private.localhost"], [_a.Address], Whitelist: ["10.0.0.0/8", "2001:db8::/32"]),
            new AppRoute("office", ["office.localhost"], [_a.Address], Whitelist: ["10.0.0.0/8", "127.0.0.1"]),
        ]);

        using var denied = await _router.GetAsync("private.localhost");
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("text/plain", denied.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Your address 127.0.0.1 is not allowed to reach private.", await denied.Content.ReadAsStringAsync());

        Assert.Equal("a", await _router.BackendAt("office.localhost"));
    }

    [Fact]
    public async Task ANewRouteTableTakesEffectWithoutRestart()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);
        Assert.Equal("a", await _router.BackendAt("demo.localhost"));

        _controller.Serve(new RouteTable("switched", [new AppRoute("demo", ["demo.localhost"], [_b.Address])], []));

        await Eventually.Returns(() => _router.BackendAt("demo.localhost"), backend => backend == "b", "demo is served by b");
        await Eventually.True(() => _router.Logs.From<RouteTableSource>().Any(entry => entry.Message == "Route table switched: 1 apps, 1 backends"),
            "the router logged the change");
    }

    [Fact]
    public async Task PollsWithTheEtagAndTakes304AsUnchanged()
    {
        var version = await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);

        await Eventually.True(() => _controller.NotModified >= 3, "the controller answered 304 to the router's polls");
        Assert.Equal("a", await _router.BackendAt("demo.localhost"));
        // One line for the change, none for the polls that found it unchanged (the probe app makes it 2 apps).
        Assert.Equal(["Route table " + version + ": 2 apps, 1 backends"],
            _router.Logs.From<RouteTableSource>().Select(entry => entry.Message).Where(message => message.Contains(version, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task KeepsServingTheLastTableWhileTheControllerFailsAndSaysSoOnce()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);
        var warnings = () => _router.Logs.From<RouteTableSource>().Count(entry => entry.Level == LogLevel.Warning);

        // The controller answers errors.
        _controller.Failing = true;
        var polls = _controller.Polls;
        await Eventually.True(() => _controller.Polls >= polls + 5, "the router polled the failing controller");
        Assert.Equal("a", await _router.BackendAt("demo.localhost"));
        Assert.Equal(1, warnings());

        // It recovers.
        _controller.Failing = false;
        await Eventually.True(() => _router.Logs.From<RouteTableSource>().Any(entry => entry.Message.Contains("can be read again", StringComparison.Ordinal)),
            "the router logged that the controller recovered");

        // It is gone altogether.
        await _controller.DisposeAsync();
        await Eventually.True(() => warnings() == 2, "the router warned that the controller is unreachable");
        await Task.Delay(500);
        Assert.Equal("a", await _router.BackendAt("demo.localhost"));
        Assert.Equal(2, warnings());
    }

    [Fact]
    public async Task TheRoutersHealthzAnswersForOtherHostsAndAnAppsHealthzIsTheApps()
    {
        await _router.ServeAsync([new AppRoute("demo", ["demo.localhost"], [_a.Address])]);

        using var health = await _router.GetAsync(_router.HttpUrl.Authority, "/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());
        using var ready = await _router.GetAsync(_router.HttpUrl.Authority, "/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        using var appHealth = await _router.GetAsync("demo.localhost", "/healthz");
        Assert.Equal(new BackendAnswer("a", "demo.localhost", "/healthz", "127.0.0.1", "http", "demo.localhost"),
            await appHealth.Content.ReadFromJsonAsync<BackendAnswer>());
    }

    [Fact]
    public async Task LogsNothingPerRequest()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await _router.ServeAsync(
        [
            new AppRoute("demo", ["demo.localhost"], [_a.Address]),
            new AppRoute("gone", ["gone.localhost"], [$"127.0.0.1:{closedPort}"]),
        ]);
        var before = _router.Logs.Entries.Count;

        foreach (var host in (string[])["demo.localhost", "demo.localhost", "gone.localhost", "nope.localhost"])
        {
            using var response = await _router.GetAsync(host);
        }

        Assert.DoesNotContain(_router.Logs.Entries.Skip(before), entry => entry.Level >= LogLevel.Information);
    }

    [Fact]
    public async Task ABackendThatRefusesConnectionsGets502Promptly()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await _router.ServeAsync([new AppRoute("gone", ["gone.localhost"], [$"127.0.0.1:{closedPort}"])]);

        var answer = _router.GetAsync("gone.localhost");
        var finished = await Task.WhenAny(answer, Task.Delay(Eventually.Timeout));

        Assert.Same(answer, finished);
        using var response = await answer;
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }
}
