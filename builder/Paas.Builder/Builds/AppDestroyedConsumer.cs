using MassTransit;
using Paas.Builder.Git;
using Paas.Contracts;

namespace Paas.Builder.Builds;

/// <summary>An app is gone: its repository and build cache go too, so a new app of the same name starts clean.</summary>
public sealed class AppDestroyedConsumer(Repositories repositories, Buildpacks.BuildpackBuilder buildpacks) : IConsumer<AppDestroyed>
{
    public async Task Consume(ConsumeContext<AppDestroyed> context)
    {
        repositories.Delete(context.Message.App);
        await buildpacks.DeleteCacheAsync(context.Message.App, context.CancellationToken);
    }
}
