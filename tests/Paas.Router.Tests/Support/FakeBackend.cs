using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Paas.Router.Tests.Support;

/// <summary>What a <see cref="FakeBackend"/> answers: who it is and what request reached it.</summary>
public sealed record BackendAnswer(string Backend, string Host, string Path, string? ForwardedFor, string? ForwardedProto, string? ForwardedHost);

/// <summary>A web process of an app: real Kestrel on a free port, answering every request with its identity.</summary>
public sealed class FakeBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeBackend(WebApplication app, string name)
    {
        _app = app;
        Name = name;
        Address = new Uri(app.Urls.Single()).Authority;
    }

    public string Name { get; }

    /// <summary>"host:port", as the route table lists backends.</summary>
    public string Address { get; }

    public static async Task<FakeBackend> StartAsync(string name)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsJsonAsync(new BackendAnswer(
            name,
            context.Request.Headers.Host.ToString(),
            context.Request.Path,
            context.Request.Headers["X-Forwarded-For"].FirstOrDefault(),
            context.Request.Headers["X-Forwarded-Proto"].FirstOrDefault(),
            context.Request.Headers["X-Forwarded-Host"].FirstOrDefault())));
        await app.StartAsync();
        return new FakeBackend(app, name);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
