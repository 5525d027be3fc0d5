using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Paas.Chart.Tests;

/// <summary>charts/paas on disk: its YAML files and the value paths its templates use.</summary>
public static partial class ChartFiles
{
    public static string Directory => Path.Combine(Paas.Testing.RepoPaths.Root, "charts", "paas");

    public static IEnumerable<string> Templates =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Directory, "templates"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".tpl", StringComparison.Ordinal)
                        || f.EndsWith(".txt", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    public static YamlMappingNode LoadMapping(string file)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Directory, file)));
        stream.Load(reader);
        return stream.Documents.Single().RootNode as YamlMappingNode
               ?? throw new InvalidOperationException($"{file} is not a mapping");
    }

    /// <summary>
    /// Every values path a template reads, with where: `.Values.a.b`, `$.Values.a.b`, `.root.Values.a.b`, and
    /// `$v.c` after `$v := .Values.a` in the same file (read as `a.c`). Paths reached through `index` or through
    /// a dict passed to a named template are not seen; those templates use the forms above for their inputs.
    /// </summary>
    public static IReadOnlyList<(string Path, string Where)> ValuePathsUsed()
    {
        var used = new List<(string, string)>();
        foreach (var file in Templates)
        {
            var name = Path.GetRelativePath(Directory, file);
            var lines = File.ReadAllLines(file);
            var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < lines.Length; i++)
            {
                foreach (Match alias in Alias().Matches(lines[i]))
                    aliases[alias.Groups["var"].Value] = alias.Groups["path"].Value.TrimStart('.');
                foreach (Match use in Direct().Matches(lines[i]))
                    used.Add((use.Groups["path"].Value.TrimStart('.'), $"{name}:{i + 1}"));
                foreach (Match use in AliasUse().Matches(lines[i]))
                    if (aliases.TryGetValue(use.Groups["var"].Value, out var prefix) && !Alias().IsMatch(lines[i][use.Index..]))
                        used.Add((prefix + use.Groups["path"].Value, $"{name}:{i + 1}"));
            }
        }
        return used;
    }

    /// <summary>Whether values.yaml has the path (each segment a key of a mapping).</summary>
    public static bool Has(YamlMappingNode values, string path)
    {
        YamlNode node = values;
        foreach (var segment in path.Split('.'))
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(segment), out var child))
                return false;
            node = child;
        }
        return true;
    }

    [GeneratedRegex(@"(?<![\w$])(?:\$|\.root)?\.Values(?<path>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex Direct();

    [GeneratedRegex(@"\$(?<var>[A-Za-z_][A-Za-z0-9_]*)\s*:=\s*(?:\$|\.root)?\.Values(?<path>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex Alias();

    [GeneratedRegex(@"\$(?<var>[A-Za-z_][A-Za-z0-9_]*)(?<path>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex AliasUse();
}
