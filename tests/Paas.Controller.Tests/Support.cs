using Paas.Testing;

namespace Paas.Controller.Tests;

/// <summary>A registered user with an API client, and an app of theirs.</summary>
public sealed record Member(User User, ApiClient Api) : IDisposable
{
    public string Name => User.Username;

    public void Dispose() => Api.Dispose();
}

public static class PlatformExtensions
{
    public static async Task<Member> MemberAsync(this PlatformFixture platform, string prefix)
    {
        var user = await platform.RegisterThroughApiAsync(PlatformFixture.NewAppName(prefix));
        return new Member(user, new ApiClient(platform.ControllerUrl, user.Token));
    }

    public static async Task<string> NewAppAsync(this Member owner, string prefix = "app")
    {
        var name = PlatformFixture.NewAppName(prefix);
        var created = await owner.Api.PostAsync("/v2/apps/", $$"""{"id":"{{name}}"}""");
        Assert.True(created.Status == 201, created.ToString());
        return name;
    }
}
