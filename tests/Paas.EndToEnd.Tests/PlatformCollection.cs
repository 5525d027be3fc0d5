using Paas.Testing;

namespace Paas.EndToEnd.Tests;

/// <summary>One real platform shared by the tests of this assembly; each test uses its own users and apps.</summary>
[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<EndToEndPlatform>
{
    public const string Name = "platform";
}

/// <summary>A short readiness timeout so a deploy whose process never listens fails quickly.</summary>
public sealed class EndToEndPlatform : PlatformFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["PAAS_DEPLOY_TIMEOUT"] = "15" };
}
