using MassTransit;
using Paas.Builder.Git;
using Paas.Contracts;

namespace Paas.Builder.Builds;

/// <summary>An app is gone: its repository goes too, so a new app of the same name starts clean.</summary>
public sealed class AppDestroyedConsumer(Repositories repositories) : IConsumer<AppDestroyed>
{
    public Task Consume(ConsumeContext<AppDestroyed> context)
    {
        repositories.Delete(context.Message.App);
        return Task.CompletedTask;
    }
}
