using Paas.Contracts;

namespace Paas.Router.Tests;

/// <summary>Which process type serves a path, chosen the way nginx chooses a location (Deis's services were nginx locations).</summary>
public sealed class ServicePathsTests
{
    private static ServicePaths Paths(params (string Type, RouteLocation[] Locations)[] services) =>
        ServicePaths.Parse(ServicePaths.Serialize(services.Select(s => new ServicePaths.Entry(s.Type, $"app/{s.Type}", s.Locations))));

    private static RouteLocation L(string kind, string value) => new(kind, value);

    [Theory]
    [InlineData("/webhooks", "webhooks")]
    [InlineData("/webhooks/notify", "webhooks")]
    [InlineData("/webhooksv2", "webhooks")] // a prefix is a string prefix, as in nginx
    [InlineData("/webhook", null)]
    [InlineData("/", null)]
    [InlineData("/api/webhooks", null)]
    public void A_prefix_takes_the_paths_that_start_with_it_and_web_keeps_the_rest(string path, string? expected)
    {
        var paths = Paths(("webhooks", [L("prefix", "/webhooks")]));

        Assert.Equal(expected, paths.Select(path)?.Type);
    }

    [Fact]
    public void The_longest_prefix_wins_whatever_the_order()
    {
        var paths = Paths(("api", [L("prefix", "/api")]), ("uploads", [L("prefix", "/api/uploads")]));

        Assert.Equal("uploads", paths.Select("/api/uploads/1")?.Type);
        Assert.Equal("api", paths.Select("/api/users")?.Type);
    }

    [Fact]
    public void An_exact_location_matches_only_its_path_and_beats_every_other()
    {
        var paths = Paths(("health", [L("exact", "/api/health")]), ("api", [L("prefix", "/api"), L("regex", "health")]));

        Assert.Equal("health", paths.Select("/api/health")?.Type);
        Assert.Equal("api", paths.Select("/api/health/deep")?.Type);
    }

    [Fact]
    public void A_regex_beats_a_prefix_unless_the_prefix_is_marked_preferred()
    {
        var plain = Paths(("static", [L("prefix", "/assets")]), ("images", [L("regex-ignore-case", @"\.(png|jpg)$")]));
        Assert.Equal("images", plain.Select("/assets/logo.PNG")?.Type);
        Assert.Equal("static", plain.Select("/assets/site.css")?.Type);
        Assert.Equal("images", plain.Select("/logo.jpg")?.Type);

        var preferred = Paths(("static", [L("preferred-prefix", "/assets")]), ("images", [L("regex", @"\.png$")]));
        Assert.Equal("static", preferred.Select("/assets/logo.png")?.Type);
        Assert.Equal("images", preferred.Select("/logo.png")?.Type);
    }

    [Fact]
    public void Regexes_are_tried_in_the_order_given_and_are_case_sensitive_unless_asked()
    {
        var paths = Paths(("first", [L("regex", "^/users/[0-9]+/hook")]), ("second", [L("regex", "hook")]));

        Assert.Equal("first", paths.Select("/users/42/hook")?.Type);
        Assert.Equal("second", paths.Select("/users/me/hook")?.Type);
        Assert.Null(paths.Select("/users/42/HOOK"));
    }
}
