using Paas.Domain;

namespace Paas.Domain.Tests;

public sealed class FormationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_first_build_runs_one_web_and_no_other_processes()
    {
        var app = new App("demo", "alice", Now);
        app.AdoptProcessTypes(["web", "worker"], Now);
        Assert.Equal(new Dictionary<string, int> { ["web"] = 1, ["worker"] = 0 }, app.Structure);
    }

    [Fact]
    public void Later_builds_keep_counts_and_drop_types_that_are_gone()
    {
        var app = new App("demo", "alice", Now);
        app.AdoptProcessTypes(["web", "worker"], Now);
        app.Scale(new Dictionary<string, int> { ["web"] = 3, ["worker"] = 2 }, Now);
        app.AdoptProcessTypes(["web", "clock"], Now);
        Assert.Equal(new Dictionary<string, int> { ["web"] = 3, ["clock"] = 0 }, app.Structure);
    }

    [Fact]
    public void Scaling_an_unknown_type_names_the_types_there_are()
    {
        var app = new App("demo", "alice", Now);
        Assert.Contains("has no build yet", Assert.Throws<ValidationFailedException>(() => app.Scale(new Dictionary<string, int> { ["web"] = 1 }, Now)).Message);
        app.AdoptProcessTypes(["web", "worker"], Now);
        var error = Assert.Throws<ValidationFailedException>(() => app.Scale(new Dictionary<string, int> { ["wrker"] = 1 }, Now));
        Assert.Contains("Its types are: web, worker", error.Message);
        Assert.Throws<ValidationFailedException>(() => app.Scale(new Dictionary<string, int> { ["web"] = -1 }, Now));
        Assert.Equal(1, app.Structure["web"]);
    }
}
