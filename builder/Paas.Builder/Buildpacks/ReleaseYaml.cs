namespace Paas.Builder.Buildpacks;

/// <summary>
/// The output of a buildpack's bin/release: YAML with <c>default_process_types</c> (and, in old
/// buildpacks, <c>config_vars</c>), maps of one level. Only that subset is read; a full YAML parser
/// would be a dependency for two flat maps.
/// </summary>
public static class ReleaseYaml
{
    public sealed record Release(IReadOnlyDictionary<string, string> DefaultProcessTypes, IReadOnlyDictionary<string, string> ConfigVars);

    public static Release Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var vars = new Dictionary<string, string>(StringComparer.Ordinal);
        Dictionary<string, string>? section = null;
        foreach (var raw in text.Replace("\r", "", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Trim() is "" or "---" || raw.TrimStart().StartsWith('#')) continue;
            var indented = raw.StartsWith(' ') || raw.StartsWith('\t');
            var line = raw.Trim();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0) continue;
            var key = Unquote(line[..colon].Trim());
            var value = line[(colon + 1)..].Trim();
            if (!indented)
            {
                section = key switch
                {
                    "default_process_types" => types,
                    "config_vars" => vars,
                    _ => null,
                };
                continue; // "key: {}" or "key:" opens (or empties) a section
            }
            if (section is not null && value.Length > 0) section[key] = Unquote(value);
        }
        return new Release(types, vars);
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'') ? value[1..^1] : value;
}
