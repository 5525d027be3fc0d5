using System.Text.Encodings.Web;
using System.Text.Json;

namespace Paas.Cli.Tests.Support;

/// <summary>A logged-in machine (alice) and a fake controller, fresh for each test.</summary>
public abstract class CommandTests : IAsyncLifetime, IDisposable
{
    protected CliHarness Machine { get; } = new();

    protected FakeController Controller { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Controller = await FakeController.StartAsync();
        Machine.LogIn(Controller.Url);
    }

    public async Task DisposeAsync() => await Controller.DisposeAsync();

    public void Dispose()
    {
        Machine.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Each request as <c>METHOD /path?query</c>.</summary>
    protected IReadOnlyList<string> RequestLines => Controller.Requests.Select(r => r.ToString()).ToList();

    /// <summary>The body of the only request with that method and path, parsed.</summary>
    protected JsonElement BodyOf(string method, string pathAndQuery)
    {
        var request = Assert.Single(Controller.Requests, r => r.Method == method && r.PathAndQuery == pathAndQuery);
        using var document = JsonDocument.Parse(request.Body);
        return document.RootElement.Clone();
    }

    /// <summary>A ProblemDetails as the controller sends it for a refused change.</summary>
    protected static object Problem(int status, string detail) => new { type = "about:blank", title = "Bad Request", status, detail };

    protected static void Succeeded(CliResult result) => Assert.True(result.ExitCode == 0, result.ToString());

    /// <summary>The JSON text a test expects, compacted, for comparing request bodies regardless of layout.</summary>
    protected static string Compact(JsonElement element) => JsonSerializer.Serialize(element, Readable);

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
