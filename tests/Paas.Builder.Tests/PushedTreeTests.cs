using System.Formats.Tar;
using Paas.Builder.Builds;
using Paas.Testing;

namespace Paas.Builder.Tests;

/// <summary>The build context made from a pushed commit, read from a real git repository.</summary>
public sealed class PushedTreeTests : IDisposable
{
    private readonly string work = Directory.CreateTempSubdirectory("paas-tree-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    private async Task<(string Bare, string Sha)> CommitAsync(Action<string> populate)
    {
        var source = Path.Combine(work, "src");
        Directory.CreateDirectory(source);
        populate(source);
        var env = new Dictionary<string, string?> { ["GIT_AUTHOR_NAME"] = "t", ["GIT_AUTHOR_EMAIL"] = "t@t", ["GIT_COMMITTER_NAME"] = "t", ["GIT_COMMITTER_EMAIL"] = "t@t" };
        foreach (var args in new[] { new[] { "init", "-q", "-b", "main" }, ["add", "-A"], ["commit", "-q", "-m", "x"] })
            (await Processes.RunAsync("git", args, source, env)).ShouldSucceed("git " + args[0]);
        var bare = Path.Combine(work, "app.git");
        (await Processes.RunAsync("git", ["clone", "-q", "--bare", source, bare])).ShouldSucceed("git clone");
        var sha = (await Processes.RunAsync("git", ["rev-parse", "HEAD"], source)).Stdout.Trim();
        return (bare, sha);
    }

    private static List<TarEntry> Read(MemoryStream tar)
    {
        tar.Position = 0;
        using var reader = new TarReader(tar, leaveOpen: true);
        var entries = new List<TarEntry>();
        while (reader.GetNextEntry(copyData: true) is { } entry) entries.Add(entry);
        return entries;
    }

    [Fact]
    public async Task Files_directories_executables_and_symlinks_inside_the_tree_become_the_context()
    {
        var (bare, sha) = await CommitAsync(dir =>
        {
            File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM paas/busybox\n");
            File.WriteAllText(Path.Combine(dir, "Procfile"), "web: ./run\n");
            Directory.CreateDirectory(Path.Combine(dir, "bin"));
            File.WriteAllText(Path.Combine(dir, "bin", "run"), "#!/bin/sh\necho hi\n");
            File.SetUnixFileMode(Path.Combine(dir, "bin", "run"), (UnixFileMode)0b111_101_101);
            File.CreateSymbolicLink(Path.Combine(dir, "run"), "bin/run");
        });
        using var tar = new MemoryStream();

        var contents = PushedTree.WriteTar(bare, null, sha, tar);

        Assert.True(contents.HasDockerfile);
        Assert.Equal("web: ./run\n", contents.Procfile);
        var entries = Read(tar).ToDictionary(e => e.Name);
        Assert.Equal(TarEntryType.Directory, entries["bin/"].EntryType);
        Assert.Equal((UnixFileMode)0b111_101_101, entries["bin/run"].Mode);
        Assert.Equal((UnixFileMode)0b110_100_100, entries["Dockerfile"].Mode);
        Assert.Equal(TarEntryType.SymbolicLink, entries["run"].EntryType);
        Assert.Equal("bin/run", entries["run"].LinkName);
        using var text = new StreamReader(entries["bin/run"].DataStream!);
        Assert.Equal("#!/bin/sh\necho hi\n", await text.ReadToEndAsync());
    }

    [Fact]
    public async Task A_symlink_that_leaves_the_tree_fails_the_build_with_its_name()
    {
        var (bare, sha) = await CommitAsync(dir =>
        {
            File.WriteAllText(Path.Combine(dir, "Dockerfile"), "FROM paas/busybox\n");
            Directory.CreateDirectory(Path.Combine(dir, "conf"));
            File.CreateSymbolicLink(Path.Combine(dir, "conf", "secrets"), "../../etc/shadow");
        });
        using var tar = new MemoryStream();
        var error = Assert.Throws<BuildFailedException>(() => PushedTree.WriteTar(bare, null, sha, tar));
        Assert.Contains("conf/secrets points outside the repository", error.Message);
    }

    [Fact]
    public async Task A_tree_without_a_Dockerfile_is_reported_as_such()
    {
        var (bare, sha) = await CommitAsync(dir => File.WriteAllText(Path.Combine(dir, "index.html"), "hi"));
        using var tar = new MemoryStream();
        Assert.False(PushedTree.WriteTar(bare, null, sha, tar).HasDockerfile);
    }

    [Theory]
    [InlineData("link", "target", false)]
    [InlineData("a/b/link", "../../x", false)]
    [InlineData("a/b/link", "../../../x", true)]
    [InlineData("link", "../x", true)]
    [InlineData("a/link", "b/../../x", false)]
    [InlineData("a/link", "b/../../../x", true)]
    [InlineData("link", "/etc/passwd", true)]
    public void Symlink_targets_are_checked_against_the_tree_root(string path, string target, bool escapes) =>
        Assert.Equal(escapes, PushedTree.EscapesTree(path, target));
}
