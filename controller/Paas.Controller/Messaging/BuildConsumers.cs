using MassTransit;
using Paas.Contracts;
using Paas.Controller.Services;

namespace Paas.Controller.Messaging;

/// <summary>A build is in the registry: release it, deploy it and tell the builder how that went.</summary>
public sealed class BuildSucceededConsumer(ReleaseService releases, ILogger<BuildSucceededConsumer> logger) : IConsumer<BuildSucceeded>
{
    public async Task Consume(ConsumeContext<BuildSucceeded> context)
    {
        var message = context.Message;
        logger.LogInformation("Build {Build} of {App} ({Image}) by {User} succeeded; releasing it", message.BuildId, message.App, message.Image, message.User);
        var outcome = await releases.ReleaseBuildAsync(message, context.CancellationToken);
        if (context.ResponseAddress is null) return;
        switch (outcome)
        {
            case ReleaseDeployed deployed: await context.RespondAsync(deployed); break;
            case ReleaseNotDeployed failed: await context.RespondAsync(failed); break;
        }
    }
}

/// <summary>A push did not produce an image. Nothing is released; the build's record keeps why, with its log.</summary>
public sealed class BuildFailedConsumer(ReleaseService releases, ILogger<BuildFailedConsumer> logger) : IConsumer<BuildFailed>
{
    public async Task Consume(ConsumeContext<BuildFailed> context)
    {
        logger.LogInformation("Build {Build} of {App} by {User} failed: {Reason}", context.Message.BuildId, context.Message.App, context.Message.User, context.Message.Reason);
        await releases.RecordFailedBuildAsync(context.Message, context.CancellationToken);
    }
}
