using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>One real platform shared by the tests of this assembly; each test uses its own users and apps.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "platform";
}

/// <summary>
/// Short limits so the tests of them end quickly: a deploy whose process never listens, a push that is
/// too large. (A build's time limit is shortened per app with BUILD_TIMEOUT.)
/// </summary>
public sealed class EndToEndPlatform : PlatformFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PAAS_DEPLOY_TIMEOUT"] = "15",
        ["PAAS_MAX_PUSH_MB"] = "5",
    };
}
