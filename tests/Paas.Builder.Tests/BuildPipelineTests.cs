using Paas.Builder.Builds;

namespace Paas.Builder.Tests;

public sealed class BuildPipelineTests
{
    [Fact]
    public void Ref_updates_are_read_as_git_hands_them_to_the_hook()
    {
        var updates = RefUpdate.ParseAll($"{RefUpdate.Zero} 3f2a1c9aa0000000000000000000000000000000 refs/heads/main\n\n");
        var update = Assert.Single(updates);
        Assert.Equal("refs/heads/main", update.Ref);
        Assert.Equal(RefUpdate.Zero, update.OldSha);
    }

    [Fact]
    public void Timings_are_shown_in_push_order_with_a_total()
    {
        var text = BuildPipeline.Describe(new Dictionary<string, double> { ["ready"] = 1.04, ["receive"] = 0.2, ["build"] = 1.5, ["push"] = 0.3, ["release"] = 0.1 });
        Assert.Equal("receive 0.2s, build 1.5s, push 0.3s, release 0.1s, ready 1.0s (total 3.1s)", text);
    }
}
