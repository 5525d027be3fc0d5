using YamlDotNet.RepresentationModel;

namespace Paas.Chart.Tests;

/// <summary>The objects of a rendered chart, read with YamlDotNet.</summary>
public sealed class Manifests
{
    private readonly List<YamlMappingNode> objects = [];

    public Manifests(string rendered)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        foreach (var document in stream.Documents)
            if (document.RootNode is YamlMappingNode mapping && mapping.Children.Count > 0) objects.Add(mapping);
    }

    public IEnumerable<YamlMappingNode> All => objects;

    public IEnumerable<YamlMappingNode> OfKind(string kind) => objects.Where(o => Str(o, "kind") == kind);

    public YamlMappingNode Get(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Str(o, "metadata.name") == name)
        ?? throw new Xunit.Sdk.XunitException($"no {kind} {name} in: {string.Join(", ", objects.Select(o => $"{Str(o, "kind")} {Str(o, "metadata.name")}"))}");

    public bool Has(string kind, string name) => OfKind(kind).Any(o => Str(o, "metadata.name") == name);

    /// <summary>The scalar at a dotted path ("spec.template.spec.serviceAccountName"), or null.</summary>
    public static string? Str(YamlNode node, string path) => At(node, path) is YamlScalarNode s ? s.Value : null;

    public static YamlNode? At(YamlNode node, string path)
    {
        YamlNode? current = node;
        foreach (var segment in path.Split('.'))
        {
            if (current is not YamlMappingNode m || !m.Children.TryGetValue(new YamlScalarNode(segment), out current)) return null;
        }
        return current;
    }

    /// <summary>An annotation (its key has dots and slashes, so no dotted path reaches it).</summary>
    public static string? Annotation(YamlNode node, string key) =>
        At(node, "metadata.annotations") is YamlMappingNode annotations && annotations.Children.TryGetValue(new YamlScalarNode(key), out var value)
            ? (value as YamlScalarNode)?.Value
            : null;

    public static IEnumerable<YamlMappingNode> Items(YamlNode node, string path) =>
        At(node, path) is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [];

    public static YamlMappingNode Container(YamlMappingNode deployment, string name) =>
        Items(deployment, "spec.template.spec.containers").Single(c => Str(c, "name") == name);

    /// <summary>A container's environment as name → value (valueFrom entries as "secret:NAME/KEY" or "field:PATH").</summary>
    public static Dictionary<string, string> Env(YamlMappingNode container) =>
        Items(container, "env").ToDictionary(e => Str(e, "name")!, e =>
            Str(e, "value") ?? (Str(e, "valueFrom.secretKeyRef.name") is { } secret
                ? $"secret:{secret}/{Str(e, "valueFrom.secretKeyRef.key")}"
                : $"field:{Str(e, "valueFrom.fieldRef.fieldPath")}"));
}
