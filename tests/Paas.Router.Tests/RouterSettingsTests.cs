using Microsoft.Extensions.Configuration;

namespace Paas.Router.Tests;

public sealed class RouterSettingsTests
{
    [Fact]
    public void DefaultsToTheLocalControllerEvery500Ms()
    {
        var settings = RouterSettings.From(Configuration(("PAAS_SERVICE_TOKEN", "secret")));

        Assert.Equal(new RouterSettings(new Uri("http://127.0.0.1:8000/v2/hooks/routes/"), "secret", TimeSpan.FromMilliseconds(500), null), settings);
    }

    [Fact]
    public void KeepsAPathPrefixOfTheControllerUrl()
    {
        var settings = RouterSettings.From(Configuration(("PAAS_SERVICE_TOKEN", "secret"), ("PAAS_CONTROLLER_URL", "http://paas.internal/api")));

        Assert.Equal(new Uri("http://paas.internal/api/v2/hooks/routes/"), settings.RoutesUrl);
    }

    [Fact]
    public void RefusesToStartWithoutTheServiceToken()
    {
        var error = Assert.Throws<InvalidOperationException>(() => RouterSettings.From(Configuration()));

        Assert.StartsWith("PAAS_SERVICE_TOKEN is not set", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("soon")]
    public void RefusesAPollIntervalThatIsNotAPositiveNumber(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            RouterSettings.From(Configuration(("PAAS_SERVICE_TOKEN", "secret"), ("PAAS_ROUTES_POLL_MS", value))));

        Assert.Contains("PAAS_ROUTES_POLL_MS", error.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(pair => KeyValuePair.Create(pair.Key, (string?)pair.Value))).Build();
}
