using System.Formats.Tar;
using LibGit2Sharp;

namespace Paas.Builder.Builds;

/// <summary>
/// Reads a pushed commit with LibGit2Sharp and writes its tree as a tar: the build context.
/// During a pre-receive hook the new objects are still in git's quarantine directory, so the commit
/// is read through a scratch repository whose alternates are the quarantine and the real objects.
/// </summary>
public static class PushedTree
{
    /// <param name="Buildpacks">The text of a .buildpacks file at the root, if any.</param>
    public sealed record Contents(bool HasDockerfile, string? Procfile, string? Buildpacks, IReadOnlyList<string> Warnings);

    /// <summary>Writes the commit's tree to <paramref name="output"/>, each path under <paramref name="prefix"/> ("" or "app/").</summary>
    public static Contents WriteTar(string repositoryPath, string? quarantinePath, string sha, Stream output, string prefix = "")
    {
        var scratch = Directory.CreateTempSubdirectory("paas-objects-");
        try
        {
            Repository.Init(scratch.FullName, isBare: true);
            var alternates = new List<string>();
            if (!string.IsNullOrEmpty(quarantinePath)) alternates.Add(quarantinePath);
            alternates.Add(Path.Combine(repositoryPath, "objects"));
            File.WriteAllLines(Path.Combine(scratch.FullName, "objects", "info", "alternates"), alternates);

            using var repository = new Repository(scratch.FullName);
            var commit = repository.Lookup<Commit>(sha)
                ?? throw new BuildFailedException($"The pushed commit {sha} could not be read from the repository.");
            var warnings = new List<string>();
            using (var tar = new TarWriter(output, TarEntryFormat.Pax, leaveOpen: true))
            {
                if (prefix.Length > 0)
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, prefix) { Mode = Permissions(0b111_101_101), ModificationTime = commit.Committer.When });
                WriteTree(tar, commit.Tree, prefix, "", commit.Committer.When, warnings);
            }
            string? Text(string name) => commit.Tree[name]?.Target is Blob blob ? blob.GetContentText() : null;
            return new Contents(commit.Tree["Dockerfile"]?.TargetType == TreeEntryTargetType.Blob, Text("Procfile"), Text(".buildpacks"), warnings);
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    private static void WriteTree(TarWriter tar, Tree tree, string root, string prefix, DateTimeOffset time, List<string> warnings)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            var name = root + path;
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name + "/") { Mode = Permissions(0b111_101_101), ModificationTime = time });
                    WriteTree(tar, (Tree)entry.Target, root, path + "/", time, warnings);
                    break;
                case TreeEntryTargetType.Blob when entry.Mode == Mode.SymbolicLink:
                    var target = ((Blob)entry.Target).GetContentText();
                    if (EscapesTree(path, target))
                        throw new BuildFailedException($"The symlink {path} points outside the repository ({target}); Paas does not build such trees.");
                    tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, name) { LinkName = target, Mode = Permissions(0b111_111_111), ModificationTime = time });
                    break;
                case TreeEntryTargetType.Blob:
                    var blob = (Blob)entry.Target;
                    using (var content = blob.GetContentStream())
                    {
                        tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name)
                        {
                            Mode = Permissions(entry.Mode == Mode.ExecutableFile ? 0b111_101_101 : 0b110_100_100),
                            ModificationTime = time,
                            DataStream = content,
                        });
                    }
                    break;
                case TreeEntryTargetType.GitLink:
                    warnings.Add($"Submodule {path} is not part of the build (Paas builds the pushed tree only).");
                    break;
            }
        }
    }

    private static UnixFileMode Permissions(int bits) => (UnixFileMode)bits;

    /// <summary>True when a symlink at <paramref name="path"/> with <paramref name="target"/> resolves outside the tree.</summary>
    public static bool EscapesTree(string path, string target)
    {
        if (target.StartsWith('/')) return true;
        var depth = path.Count(c => c == '/');
        foreach (var part in target.Split('/'))
        {
            if (part is "" or ".") continue;
            depth += part == ".." ? -1 : 1;
            if (depth < 0) return true;
        }
        return false;
    }
}

/// <summary>A build that cannot go on; the message is shown to the pusher.</summary>
public sealed class BuildFailedException(string message) : Exception(message);
