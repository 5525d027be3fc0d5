using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>
/// One nginx-style location of an app's extra service (Deis's `services:add --type webhooks --route /webhooks`): the
/// requests on the app's domains whose path it matches go to that process type instead of web.
/// </summary>
/// <param name="Kind">How <paramref name="Value"/> matches a path: see <see cref="ServiceLocations"/>.</param>
public sealed record ServiceLocation(string Kind, string Value);

/// <summary>Reads the path patterns Deis users write for services, as nginx reads location blocks.</summary>
public static class ServiceLocations
{
    /// <summary>"= /path": that path only.</summary>
    public const string Exact = "exact";

    /// <summary>"/path": every path starting with it (as a string, like nginx: /api also matches /apiv2).</summary>
    public const string Prefix = "prefix";

    /// <summary>"^~ /path": a prefix that, when it is the longest match, is used without trying the regexes.</summary>
    public const string PreferredPrefix = "preferred-prefix";

    /// <summary>"~ regex": a case-sensitive regular expression searched in the path.</summary>
    public const string Regex = "regex";

    /// <summary>"~* regex": the same, ignoring case.</summary>
    public const string RegexIgnoreCase = "regex-ignore-case";

    private const int MaxLength = 512;
    private const string Example = "e.g. /webhooks, \"= /health\" or \"~ ^/users/[0-9]+/hooks\"";

    /// <summary>Splits Deis's comma-separated path_pattern into locations; every one must be valid.</summary>
    public static IReadOnlyList<ServiceLocation> Parse(string? pathPattern)
    {
        if (string.IsNullOrWhiteSpace(pathPattern))
            throw new ValidationFailedException("path_pattern", $"Give the paths the service handles, {Example}.");
        var locations = pathPattern.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).Select(ParseOne).ToList();
        if (locations.Count == 0)
            throw new ValidationFailedException("path_pattern", $"Give the paths the service handles, {Example}.");
        var duplicate = locations.GroupBy(l => l).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ValidationFailedException("path_pattern", $"The path pattern '{Format(duplicate.Key)}' is given twice.");
        return locations;
    }

    public static ServiceLocation ParseOne(string text)
    {
        if (text.Length > MaxLength)
            throw new ValidationFailedException("path_pattern", $"A path pattern may have at most {MaxLength} characters.");
        var (kind, value) = text switch
        {
            _ when text.StartsWith("~*", StringComparison.Ordinal) => (RegexIgnoreCase, text[2..].Trim()),
            _ when text.StartsWith("^~", StringComparison.Ordinal) => (PreferredPrefix, text[2..].Trim()),
            _ when text.StartsWith('~') => (Regex, text[1..].Trim()),
            _ when text.StartsWith('=') => (Exact, text[1..].Trim()),
            _ => (Prefix, text),
        };
        if (kind is Regex or RegexIgnoreCase)
        {
            if (value.Length == 0)
                throw new ValidationFailedException("path_pattern", $"'{text}' has no regular expression after the ~.");
            try
            {
                _ = new Regex(value, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
            }
            catch (ArgumentException e)
            {
                throw new ValidationFailedException("path_pattern", $"'{value}' is not a valid regular expression: {e.Message}");
            }
        }
        else if (!value.StartsWith('/') || value.Any(char.IsWhiteSpace))
        {
            throw new ValidationFailedException("path_pattern",
                $"'{text}' is not a path pattern: a path starts with / and has no spaces ({Example}).");
        }
        return new ServiceLocation(kind, value);
    }

    /// <summary>Back to the form the user wrote (Deis's path_pattern).</summary>
    public static string Format(ServiceLocation location) => location.Kind switch
    {
        Exact => $"= {location.Value}",
        PreferredPrefix => $"^~ {location.Value}",
        Regex => $"~ {location.Value}",
        RegexIgnoreCase => $"~* {location.Value}",
        _ => location.Value,
    };

    public static string Format(IEnumerable<ServiceLocation> locations) => string.Join(",", locations.Select(Format));
}
