using Paas.Domain;

namespace Paas.Domain.Tests;

public sealed class ReleaseTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Versions_follow_the_newest_release_whatever_its_state()
    {
        var app = new App("demo", "alice", Now);
        var config = Config.Initial(app.Id, "alice", Now);
        var v1 = Release.First(app.Id, config, "alice", Now);
        var build = new Build(Guid.NewGuid(), app.Id, "alice", "reg/demo:git-3f2a1c9", "dockerfile", "3f2a1c9aa", new Dictionary<string, string>(), Now);
        var v2 = Release.Next(v1, build, config, "alice", Release.DeployedSummary("alice", build), Now);
        v2.MarkFailed("never became ready", Now);
        var v3 = Release.Next(v2, build, config, "alice", Release.RollbackSummary("alice", 1), Now);

        Assert.Equal(1, v1.Version);
        Assert.Equal(2, v2.Version);
        Assert.Equal(3, v3.Version);
        Assert.Equal("alice created initial release", v1.Summary);
        Assert.Equal("alice deployed 3f2a1c9", v2.Summary);
        Assert.Equal("alice rolled back to v1", v3.Summary);
        Assert.True(v2.Failed);
        Assert.Equal("never became ready", v2.Failure);
        Assert.Equal(ReleaseState.Pending, v3.State);
    }

    [Fact]
    public void A_build_of_an_image_is_labelled_by_its_image()
    {
        var build = new Build(Guid.NewGuid(), Guid.NewGuid(), "alice", "example.com/team/api:1.2", "image", null, new Dictionary<string, string>(), Now);
        Assert.Equal("alice deployed example.com/team/api:1.2", Release.DeployedSummary("alice", build));
    }
}
