namespace Paas.Scheduler.Docker.Tests.Support;

// Two engines, so the two halves of the suite run in parallel; tests within one run one after another.

[CollectionDefinition(Name)]
public sealed class DeployCollection : ICollectionFixture<DockerEngine>
{
    public const string Name = "docker engine: deploys and checks";
}

[CollectionDefinition(Name)]
public sealed class ProcessCollection : ICollectionFixture<DockerEngine>
{
    public const string Name = "docker engine: restarts, runs and logs";
}
