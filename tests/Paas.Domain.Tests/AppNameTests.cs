using Paas.Domain;

namespace Paas.Domain.Tests;

public sealed class AppNameTests
{
    [Theory]
    [InlineData("demo")]
    [InlineData("my-app-2")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123")]
    public void Accepts_lowercase_dns_labels_up_to_30_characters(string name) => AppName.Validate(name);

    [Theory]
    [InlineData("", "may not be blank")]
    [InlineData("Demo", "is invalid")]
    [InlineData("my_app", "is invalid")]
    [InlineData("-demo", "is invalid")]
    [InlineData("demo-", "is invalid")]
    [InlineData("de.mo", "is invalid")]
    [InlineData("abcdefghijklmnopqrstuvwxyz01234", "the limit is 30")]
    [InlineData("paas", "reserved")]
    [InlineData("kube-anything", "reserved")]
    public void Refuses_other_names_saying_why(string name, string reason)
    {
        var error = Assert.Throws<ValidationFailedException>(() => AppName.Validate(name));
        Assert.Equal("id", error.Field);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Invalid_characters_carry_the_message_the_deis_cli_recognises()
    {
        var error = Assert.Throws<ValidationFailedException>(() => AppName.Validate("Bad"));
        Assert.Equal("App name can only contain a-z (lowercase), 0-9 and hyphens", error.CanonicalMessage);
    }

    [Fact]
    public void Generated_names_are_readable_and_valid()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var name = AppName.Generate(random);
            Assert.Matches("^[a-z]+-[a-z]+-[0-9]{4}$", name);
            AppName.Validate(name);
        }
    }
}
