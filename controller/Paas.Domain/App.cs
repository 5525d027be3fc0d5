namespace Paas.Domain;

/// <summary>An application: a name, an owner and how many processes of each type should run.</summary>
public sealed class App
{
    private App() { Name = ""; Owner = ""; }

    public App(string name, string owner, DateTimeOffset now)
    {
        AppName.Validate(name);
        Id = Guid.NewGuid();
        Name = name;
        Owner = owner;
        Created = Updated = now;
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string Owner { get; private set; }
    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    /// <summary>The formation: process type to desired count ("structure" in Deis's API).</summary>
    public Dictionary<string, int> Structure { get; private set; } = new(StringComparer.Ordinal);

    public void Touch(DateTimeOffset now) => Updated = now;

    public void TransferTo(string newOwner, DateTimeOffset now)
    {
        Owner = newOwner;
        Updated = now;
    }

    /// <summary>
    /// Makes the formation match a build's process types: types the build no longer declares go away,
    /// new types start at 0 except `web`, which starts at 1 the first time it appears.
    /// </summary>
    public void AdoptProcessTypes(IEnumerable<string> types, DateTimeOffset now)
    {
        var wanted = types.ToHashSet(StringComparer.Ordinal);
        var next = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var type in wanted)
            next[type] = Structure.TryGetValue(type, out var count) ? count : type == ProcessTypes.Web ? 1 : 0;
        Structure = next;
        Updated = now;
    }

    /// <summary>Sets the count of the given types; every type must be one the current build declares.</summary>
    public void Scale(IReadOnlyDictionary<string, int> counts, DateTimeOffset now)
    {
        foreach (var (type, count) in counts)
        {
            if (count < 0)
                throw new ValidationFailedException(type, $"Cannot scale {type} to {count}: counts must be 0 or more.");
            if (count > ProcessTypes.MaxScale)
                throw new ValidationFailedException(type, $"Cannot scale {type} to {count}: the limit is {ProcessTypes.MaxScale} per type.");
            if (!Structure.ContainsKey(type))
                throw new ValidationFailedException(type,
                    Structure.Count == 0
                        ? $"Cannot scale {type}: {Name} has no build yet. Push code first (git push)."
                        : $"Cannot scale {type}: {Name} has no process type '{type}'. Its types are: {string.Join(", ", Structure.Keys.Order(StringComparer.Ordinal))}.");
        }
        var next = new Dictionary<string, int>(Structure, StringComparer.Ordinal);
        foreach (var (type, count) in counts) next[type] = count;
        Structure = next;
        Updated = now;
    }
}

public static class ProcessTypes
{
    /// <summary>The only process type that receives HTTP traffic through the router.</summary>
    public const string Web = "web";

    public const int MaxScale = 100;
}
