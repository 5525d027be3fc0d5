namespace Paas.Router.Tests.Support;

/// <summary>Polls a condition for a few seconds: the router applies changes asynchronously, within about a second.</summary>
public static class Eventually
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<T> Returns<T>(Func<Task<T>> attempt, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var result = await attempt();
            if (done(result))
            {
                return result;
            }
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {Timeout.TotalSeconds} s: {what} (last result: {result})");
            }
            await Task.Delay(50);
        }
    }

    public static Task True(Func<bool> condition, string what) =>
        Returns(() => Task.FromResult(condition()), done => done, what);
}
