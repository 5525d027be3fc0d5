namespace Paas.Scheduler.Kubernetes.Tests.Support;

/// <summary>Polls until something a user would wait for has happened, instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static async Task<T> Returns<T>(Func<Task<T>> attempt, Func<T, bool> done, string what, TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(15);
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var result = await attempt();
            if (done(result)) return result;
            if (DateTime.UtcNow > deadline) Assert.Fail($"Not within {limit.TotalSeconds} s: {what} (last result: {result})");
            await Task.Delay(100);
        }
    }
}
