namespace Paas.Chart.Tests;

/// <summary>The tests that use the machine's one local cluster run one after the other: it has two cores to share.</summary>
[CollectionDefinition(Name)]
public sealed class LocalCluster
{
    public const string Name = "local cluster";
}
