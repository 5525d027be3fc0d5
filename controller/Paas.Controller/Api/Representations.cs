using Paas.Controller.Data;
using Paas.Domain;

namespace Paas.Controller.Api;

// The JSON shapes of Deis Workflow's API v2.3 (snake_case on the wire). Extra fields are Paas's
// additions; Deis clients ignore them.

public sealed record UserDto(
    string Username, string Email, string FirstName, string LastName,
    bool IsSuperuser, bool IsStaff, bool IsActive, DateTimeOffset? LastLogin, DateTimeOffset DateJoined)
{
    public static UserDto From(PaasUser user, bool isAdmin) => new(
        user.UserName!, user.Email ?? "", user.FirstName, user.LastName, isAdmin, isAdmin, user.IsActive, user.LastLogin, user.DateJoined);
}

public sealed record AppDto(
    Guid Uuid, string Id, string Owner, string Url, IReadOnlyDictionary<string, int> Structure,
    DateTimeOffset Created, DateTimeOffset Updated, string GitUrl, string WebUrl)
{
    public static AppDto From(App app, PlatformOptions platform) => new(
        app.Id, app.Name, app.Owner, $"{app.Name}.{platform.Domain}", app.Structure, app.Created, app.Updated,
        platform.GitUrl(app.Name), platform.AppUrl(app.Name));
}

public sealed record ReleaseDto(
    Guid Uuid, string App, int Version, string Owner, Guid? Build, Guid Config, string Summary,
    bool Failed, string? Exception, string State, DateTimeOffset Created, DateTimeOffset Updated)
{
    public static ReleaseDto From(Release release, string app) => new(
        release.Id, app, release.Version, release.Owner, release.BuildId, release.ConfigId, release.Summary,
        release.Failed, release.Failure, release.State.ToString().ToLowerInvariant(), release.Created, release.Updated);
}
