using System.Globalization;
using Paas.Testing;

namespace Paas.Deis.Tests.Support;

[CollectionDefinition(Name)]
public sealed class DeisCollection : ICollectionFixture<DeisPlatform>
{
    public const string Name = "deis cli against paas";
}

/// <summary>
/// A whole platform in `admin_only` registration mode, nobody registered yet, reachable by the host
/// names the deis CLI needs: it refuses IP addresses for the builder, deriving
/// `deis-builder.&lt;domain&gt;` from `deis.&lt;domain&gt;`. The names go into /etc/hosts for this run
/// (the builder's on a loopback address of its own, for SSH on port 2222) and out again afterwards.
/// </summary>
public sealed class DeisPlatform : PlatformFixture
{
    private readonly string marker = "paas-deis-test-" + Guid.NewGuid().ToString("N")[..8];

    public DeisPlatform()
    {
        TestDomain = marker + ".test";
        // 127.0.0.0/8 all answers locally; an address of its own keeps port 2222 free for this run's builder.
        var random = Random.Shared;
        LoopbackAddress = string.Create(CultureInfo.InvariantCulture, $"127.{random.Next(1, 250)}.{random.Next(1, 250)}.{random.Next(2, 250)}");
    }

    /// <summary>The domain the deis CLI sees: the controller is deis.&lt;it&gt;, the builder deis-builder.&lt;it&gt;.</summary>
    public string TestDomain { get; }

    public string LoopbackAddress { get; }

    /// <summary>The controller's URL as the deis CLI is given it.</summary>
    public string DeisUrl => $"http://deis.{TestDomain}:{new Uri(ControllerUrl).Port}";

    public static string? DeisBinary =>
        Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "tools", "deis")) is var path && File.Exists(path) ? path : null;

    protected override bool RegisterAdminOnStart => false;

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["PAAS_REGISTRATION_MODE"] = "admin_only",
        ["PAAS_DEPLOY_TIMEOUT"] = "20",
        // The deis CLI's remote is ssh://git@deis-builder.<domain>:2222/<app>.git, port fixed.
        ["PAAS_SSH_PORT"] = "2222",
        ["PAAS_SSH_LISTEN"] = LoopbackAddress,
    };

    public override async Task InitializeAsync()
    {
        if (DeisBinary is null) return; // every test skips, saying why; no platform is needed
        await EditHostsAsync($"printf '127.0.0.1 deis.{TestDomain} # {marker}\\n{LoopbackAddress} deis-builder.{TestDomain} # {marker}\\n' >> /etc/hosts");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        if (DeisBinary is null) return;
        await base.DisposeAsync();
        // /etc/hosts may be a bind mount: rewrite it in place, never replace it.
        await EditHostsAsync($"grep -v '# {marker}$' /etc/hosts > /tmp/{marker}.hosts; cat /tmp/{marker}.hosts > /etc/hosts; rm -f /tmp/{marker}.hosts");
    }

    private static async Task EditHostsAsync(string script) =>
        (await Processes.RunAsync("flock", ["/tmp/paas-test-hosts.lock", "sh", "-c", script])).ShouldSucceed("editing /etc/hosts");

    private readonly SemaphoreSlim adminGate = new(1, 1);
    private DeisUser? admin;

    /// <summary>The first user, registered with `deis register` (which makes them the administrator), once.</summary>
    public async Task<DeisUser> DeisAdminAsync()
    {
        await adminGate.WaitAsync();
        try
        {
            return admin ??= await NewDeisUser("admin").RegisterAsync();
        }
        finally
        {
            adminGate.Release();
        }
    }

    /// <summary>A user the administrator registers (admin_only mode), then logged in with the deis CLI.</summary>
    public async Task<DeisUser> RegisteredByAdminAsync(string username)
    {
        var by = await DeisAdminAsync();
        var user = NewDeisUser(username);
        (await by.Deis("register", DeisUrl, $"--username={username}", $"--password={user.Password}", $"--email={username}@example.com", "--login=false"))
            .ShouldSucceed($"deis register {username} by the admin");
        (await user.Deis("login", DeisUrl, $"--username={username}", $"--password={user.Password}")).ShouldSucceed($"deis login {username}");
        return user;
    }

    /// <summary>A person with the deis CLI and a home of their own.</summary>
    public DeisUser NewDeisUser(string username) => new(this, username);
}
