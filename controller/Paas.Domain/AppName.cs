using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>
/// App names are lowercase DNS labels of at most 30 characters: they become host names
/// (&lt;app&gt;.&lt;domain&gt;), container names and, on Kubernetes, namespaces and object names.
/// </summary>
public static partial class AppName
{
    public const int MaxLength = 30;

    /// <summary>Deis's exact wording, which the deis CLI turns into its own error message.</summary>
    public const string CanonicalInvalid = "App name can only contain a-z (lowercase), 0-9 and hyphens";

    /// <summary>Names the platform uses itself or that would clash with cluster namespaces.</summary>
    public static readonly IReadOnlySet<string> Reserved = new HashSet<string>(StringComparer.Ordinal)
    {
        "paas", "deis", "controller", "builder", "router", "registry", "api", "www", "git",
        "default", "kube-system", "kube-public", "kube-node-lease", "localhost",
    };

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>Throws <see cref="ValidationFailedException"/> (field "id") when the name cannot be used.</summary>
    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ValidationFailedException("id", "App name may not be blank.", "This field may not be blank.");
        if (!Label().IsMatch(name))
            throw new ValidationFailedException("id",
                $"App name '{name}' is invalid: use a-z (lowercase), 0-9 and hyphens, starting and ending with a letter or digit.",
                CanonicalInvalid);
        if (name.Length > MaxLength)
            throw new ValidationFailedException("id",
                $"App name '{name}' is {name.Length} characters long; the limit is {MaxLength}.");
        if (Reserved.Contains(name) || name.StartsWith("kube-", StringComparison.Ordinal))
            throw new ValidationFailedException("id", $"App name '{name}' is reserved by the platform; choose another.");
    }

    private static readonly string[] Adjectives =
    [
        "amber", "ancient", "bold", "brave", "bright", "calm", "crisp", "dapper", "eager", "fancy",
        "gentle", "glad", "golden", "hidden", "icy", "jolly", "keen", "lively", "lucky", "mellow",
        "misty", "noble", "odd", "plain", "proud", "quiet", "rapid", "rustic", "shiny", "silent",
        "snowy", "solar", "sturdy", "sunny", "swift", "tidy", "vivid", "warm", "wild", "witty",
    ];

    private static readonly string[] Nouns =
    [
        "anchor", "badger", "beacon", "breeze", "canyon", "cedar", "comet", "coral", "creek", "dune",
        "ember", "falcon", "fern", "fjord", "glacier", "harbor", "heron", "island", "lagoon", "lantern",
        "maple", "meadow", "mesa", "otter", "pebble", "pine", "prairie", "quartz", "raven", "reef",
        "river", "sparrow", "spruce", "summit", "thicket", "tundra", "valley", "walrus", "willow", "zephyr",
    ];

    /// <summary>A random readable name such as "golden-heron-4821".</summary>
    public static string Generate(Random random) =>
        $"{Adjectives[random.Next(Adjectives.Length)]}-{Nouns[random.Next(Nouns.Length)]}-{random.Next(1000, 10000)}";
}
