using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>Reads a Procfile: one "type: command" per line, as Heroku defines it.</summary>
public static partial class Procfile
{
    [GeneratedRegex(@"^([A-Za-z0-9_-]+):\s*(.+)$")]
    private static partial Regex Line();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex TypeName();

    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var match = Line().Match(line);
            if (!match.Success)
                throw new ValidationFailedException("procfile", $"Procfile line {number} is not 'type: command': {line}");
            var type = match.Groups[1].Value;
            ValidateType(type);
            types[type] = match.Groups[2].Value.Trim();
        }
        return types;
    }

    public static bool IsValidType(string type) => TypeName().IsMatch(type) && type.Length <= 20;

    /// <summary>Process types become parts of container and Kubernetes object names.</summary>
    public static void ValidateType(string type)
    {
        if (!IsValidType(type))
            throw new ValidationFailedException("procfile",
                $"Process type '{type}' is invalid: use a-z (lowercase), 0-9 and hyphens, at most 20 characters.");
    }
}
