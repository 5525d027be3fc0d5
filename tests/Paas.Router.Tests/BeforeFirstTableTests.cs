using System.Net;
using Paas.Router.Tests.Support;

namespace Paas.Router.Tests;

public sealed class BeforeFirstTableTests
{
    [Fact]
    public async Task UntilTheControllerAnswersAppsGet503AndTheRouterIsHealthy()
    {
        await using var controller = await FakeController.StartAsync();
        controller.Failing = true;
        await using var router = await RouterUnderTest.StartAsync(controller);
        await Eventually.True(() => controller.Polls >= 2, "the router polled the controller");

        using var app = await router.GetAsync("demo.localhost");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, app.StatusCode);
        Assert.Equal("The router has not received its routes from the controller yet.", await app.Content.ReadAsStringAsync());

        using var health = await router.GetAsync(router.HttpUrl.Authority, "/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("ok", await health.Content.ReadAsStringAsync());

        // Not ready: a readiness probe keeps traffic away from a router that knows no routes yet.
        using var ready = await router.GetAsync(router.HttpUrl.Authority, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
    }
}
