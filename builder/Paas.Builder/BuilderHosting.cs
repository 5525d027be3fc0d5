using Docker.DotNet;
using MassTransit;
using Microsoft.Extensions.Options;
using Paas.Builder.Buildpacks;
using Paas.Builder.Builds;
using Paas.Builder.Git;
using Paas.Contracts;
using Paas.Hosting;

namespace Paas.Builder;

/// <summary>The builder's composition root.</summary>
public static class BuilderHosting
{
    public static WebApplicationBuilder AddBuilder(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<BuilderOptions>().Bind(builder.Configuration);
        services.AddSingleton<Repositories>();
        services.AddSingleton<PushSessions>();
        services.AddSingleton<HookAddress>();
        services.AddSingleton<IDockerClient>(sp =>
            new DockerClientConfiguration(new Uri(sp.GetRequiredService<IOptions<BuilderOptions>>().Value.DockerHost)).CreateClient());
        services.AddSingleton<ImageBuilder>();
        services.AddSingleton<BuildpackBuilder>();
        services.AddSingleton<BuildpackFetcher>();
        services.AddScoped<BuildPipeline>();
        services.AddHostedService<Ssh.SshReceiver>();
        services.AddHttpClient<ControllerClient>((sp, http) =>
        {
            http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<BuilderOptions>>().Value.ControllerUrl);
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        services.AddPaasBus(builder.Configuration, bus =>
        {
            bus.AddConsumer<AppDestroyedConsumer>();
            bus.AddRequestClient<BuildSucceeded>();
        });
        return builder;
    }

    public static WebApplication MapBuilder(this WebApplication app)
    {
        app.MapPaasDefaults();
        app.MapGitHttp();
        app.MapPreReceive();
        return app;
    }
}
