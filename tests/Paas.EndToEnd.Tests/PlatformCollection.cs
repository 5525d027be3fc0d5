using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>One real platform shared by the tests of this assembly; each test uses its own users and apps.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "platform";
}

/// <summary>
/// Short limits so the tests of them end quickly: a deploy whose process never listens, a build that
/// runs too long (buildpack builds of the sample apps take a few seconds), a push that is too large.
/// </summary>
public sealed class EndToEndPlatform : PlatformFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PAAS_DEPLOY_TIMEOUT"] = "15",
        ["PAAS_BUILD_TIMEOUT"] = "40",
        ["PAAS_MAX_PUSH_MB"] = "5",
    };
}
