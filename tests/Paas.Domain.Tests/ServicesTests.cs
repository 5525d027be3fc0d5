using Paas.Domain;

namespace Paas.Domain.Tests;

/// <summary>Deis's services: paths of an app served by another process type, as the user writes them.</summary>
public sealed class ServicesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static AppSettings Settings() => new(Guid.NewGuid(), "alice", Now);

    [Fact]
    public void Path_patterns_read_as_nginx_locations_and_are_shown_as_written()
    {
        var locations = ServiceLocations.Parse("/webhooks/notify, ~ ^/users/[0-9]+/.*/webhooks/notify,= /hook,~* \\.PNG$,^~ /static");

        Assert.Equal(
        [
            new ServiceLocation(ServiceLocations.Prefix, "/webhooks/notify"),
            new ServiceLocation(ServiceLocations.Regex, "^/users/[0-9]+/.*/webhooks/notify"),
            new ServiceLocation(ServiceLocations.Exact, "/hook"),
            new ServiceLocation(ServiceLocations.RegexIgnoreCase, "\\.PNG$"),
            new ServiceLocation(ServiceLocations.PreferredPrefix, "/static"),
        ], locations);
        Assert.Equal("/webhooks/notify,~ ^/users/[0-9]+/.*/webhooks/notify,= /hook,~* \\.PNG$,^~ /static", ServiceLocations.Format(locations));
    }

    [Theory]
    [InlineData("", "Give the paths the service handles")]
    [InlineData(" , ", "Give the paths the service handles")]
    [InlineData("webhooks", "'webhooks' is not a path pattern: a path starts with /")]
    [InlineData("/web hooks", "'/web hooks' is not a path pattern")]
    [InlineData("~ ([a-z]", "'([a-z]' is not a valid regular expression")]
    [InlineData("~", "'~' has no regular expression after the ~.")]
    [InlineData("/a,/a", "The path pattern '/a' is given twice.")]
    public void A_bad_path_pattern_is_refused_with_a_message_that_says_why(string pattern, string message)
    {
        var error = Assert.Throws<ValidationFailedException>(() => ServiceLocations.Parse(pattern));

        Assert.Equal("path_pattern", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_process_type_gets_one_service_and_removing_it_gives_its_paths_back_to_web()
    {
        var settings = Settings();

        Assert.Equal("added the webhooks service for /webhooks,~ ^/hooks/", settings.AddService("webhooks", "/webhooks,~ ^/hooks/", "bob", Now.AddMinutes(1)));
        Assert.Equal("bob", settings.Owner);
        var again = Assert.Throws<ConflictException>(() => settings.AddService("webhooks", "/other", "bob", Now));
        Assert.Contains("webhooks already has a service, for /webhooks,~ ^/hooks/", again.Message, StringComparison.Ordinal);
        var taken = Assert.Throws<ValidationFailedException>(() => settings.AddService("api", "/api,/webhooks", "bob", Now));
        Assert.Equal("'/webhooks' already goes to the webhooks service.", taken.Message);
        Assert.Equal(["webhooks"], settings.Services.Keys);

        Assert.Equal("removed the webhooks service", settings.RemoveService("webhooks", "bob", Now));
        Assert.Empty(settings.Services);
        var gone = Assert.Throws<NotFoundException>(() => settings.RemoveService("webhooks", "bob", Now));
        Assert.Equal("This app has no services, so none for webhooks.", gone.Message);
    }

    [Theory]
    [InlineData(null, "Name the process type")]
    [InlineData("Web Hooks", "Process type 'Web Hooks' is invalid")]
    [InlineData("web", "web already serves every path no service claims")]
    public void The_process_type_must_be_one_a_Procfile_can_name_other_than_web(string? type, string message)
    {
        var error = Assert.Throws<ValidationFailedException>(() => Settings().AddService(type, "/hooks", "alice", Now));

        Assert.Equal("procfile_type", error.Field);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
