using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paas.Cli.Api;

// The fields of the controller's answers the CLI uses (DEVELOPERS.md "The controller API").
// Timestamps stay strings: the CLI prints them as the controller wrote them.
// Unknown fields are kept in Extra so that --json shows the whole object, not just what we model.

public abstract record ApiObject
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }
}

public sealed record User : ApiObject
{
    public string Username { get; init; } = "";
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public bool IsSuperuser { get; init; }
    public bool IsStaff { get; init; }
    public bool IsActive { get; init; }
    public string? LastLogin { get; init; }
    public string? DateJoined { get; init; }
}

public sealed record App : ApiObject
{
    public string? Uuid { get; init; }
    public string Id { get; init; } = "";
    public string? Owner { get; init; }
    public string? Url { get; init; }
    public Dictionary<string, int>? Structure { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }

    /// <summary>Paas's addition to Deis's app: where to <c>git push</c>, e.g. <c>http://127.0.0.1:8001/demo.git</c>.</summary>
    public string? GitUrl { get; init; }

    /// <summary>Paas's addition: where the app answers, e.g. <c>http://demo.localhost:8080</c>.</summary>
    public string? WebUrl { get; init; }
}

public sealed record Release : ApiObject
{
    public string? Uuid { get; init; }
    public string? App { get; init; }
    public int Version { get; init; }
    public string? Owner { get; init; }

    /// <summary>The build's uuid (Deis serialises the relation as its uuid), null before the first build.</summary>
    public string? Build { get; init; }

    /// <summary>The config's uuid.</summary>
    public string? Config { get; init; }

    public string? Summary { get; init; }
    public bool Failed { get; init; }
    public string? Exception { get; init; }
    public string? Created { get; init; }
    public string? Updated { get; init; }
}

/// <summary>Deis's (DRF's) list page.</summary>
public sealed record Page<T>
{
    public int Count { get; init; }
    public string? Next { get; init; }
    public string? Previous { get; init; }
    public IReadOnlyList<T> Results { get; init; } = [];
}

public sealed record RegisterRequest(string Username, string Password, string Email);

internal sealed record LoginRequest(string Username, string Password);

internal sealed record LoginResponse(string? Token);

internal sealed record CreateAppRequest(string Id);
