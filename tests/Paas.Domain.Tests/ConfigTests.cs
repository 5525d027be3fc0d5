using Paas.Domain;

namespace Paas.Domain.Tests;

public sealed class ConfigTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Changes_make_a_new_config_and_a_readable_summary()
    {
        var first = Config.Initial(Guid.NewGuid(), "alice", Now);
        var (second, added) = first.WithValues(new Dictionary<string, string?> { ["GREETING"] = "hi", ["MULTI"] = "a=b\nc é" }, "alice", Now);
        var (third, mixed) = second.WithValues(new Dictionary<string, string?> { ["GREETING"] = "hello", ["MULTI"] = null, ["NEW"] = "1" }, "bob", Now);

        Assert.Empty(first.Values);
        Assert.Equal("added GREETING, MULTI", added);
        Assert.Equal("a=b\nc é", second.Values["MULTI"]);
        Assert.Equal("added NEW and changed GREETING and removed MULTI", mixed);
        Assert.Equal(new Dictionary<string, string> { ["GREETING"] = "hello", ["NEW"] = "1" }, third.Values);
        Assert.NotEqual(second.Id, third.Id);
    }

    [Theory]
    [InlineData("1ABC")]
    [InlineData("WITH-DASH")]
    [InlineData("WITH SPACE")]
    [InlineData("")]
    public void Keys_must_be_environment_variable_names(string key)
    {
        var config = Config.Initial(Guid.NewGuid(), "alice", Now);
        var error = Assert.Throws<ValidationFailedException>(() => config.WithValues(new Dictionary<string, string?> { [key] = "x" }, "alice", Now));
        Assert.Contains("not a valid environment variable name", error.Message);
    }

    [Theory]
    [InlineData("PORT")]
    [InlineData("PAAS_APP")]
    public void Keys_the_platform_sets_cannot_be_changed(string key)
    {
        var config = Config.Initial(Guid.NewGuid(), "alice", Now);
        var error = Assert.Throws<ValidationFailedException>(() => config.WithValues(new Dictionary<string, string?> { [key] = "x" }, "alice", Now));
        Assert.Contains("set by the platform", error.Message);
    }

    [Fact]
    public void Unsetting_a_key_that_is_not_set_says_so()
    {
        var config = Config.Initial(Guid.NewGuid(), "alice", Now);
        var error = Assert.Throws<ValidationFailedException>(() => config.WithValues(new Dictionary<string, string?> { ["NOPE"] = null }, "alice", Now));
        Assert.Contains("Cannot unset NOPE: it is not set", error.Message);
    }
}
