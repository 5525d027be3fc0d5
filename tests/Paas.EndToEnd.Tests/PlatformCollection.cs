using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>One real platform shared by the tests of this assembly; each test uses its own users and apps.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "platform";
}

/// <summary>
/// A second platform for the tests of issue 3's commands (config, releases, processes, people, routing,
/// builds, activity): its tests run one after the other, side by side with those of <see cref="PlatformCollection"/>,
/// so the assembly's time is the longer of the two rather than their sum (most of it is waiting for
/// deploys, the router and processes, not CPU).
/// </summary>
[CollectionDefinition(Name)]
public sealed class CommandsCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "commands";
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
