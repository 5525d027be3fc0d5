using System.Globalization;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>A container the scheduler just created.</summary>
internal sealed record NewContainer(string Id, string Name, string Type);

/// <summary>The Docker calls the scheduler makes in several places, with the errors it expects handled.</summary>
internal sealed class Containers(IDockerClient docker)
{
    /// <summary>Every container Paas made for the app (or for all apps), one-offs included.</summary>
    public async Task<IList<ContainerListResponse>> ListAllAsync(string? app, CancellationToken ct, string? withLabel = null)
    {
        var labels = new Dictionary<string, bool> { [$"{ContainerLabels.Heritage}={ContainerLabels.HeritageValue}"] = true };
        if (app is not null) labels[$"{ContainerLabels.App}={app}"] = true;
        if (withLabel is not null) labels[withLabel] = true;
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = labels },
        }, ct);
    }

    /// <summary>
    /// The app's processes: what deploys, restarts, retirement, logs and the route table work on.
    /// A running one-off is none of them (Docker's label filter cannot exclude, so this does).
    /// </summary>
    public async Task<List<ContainerListResponse>> ListProcessesAsync(string? app, CancellationToken ct, string? withLabel = null) =>
        (await ListAllAsync(app, ct, withLabel)).Where(c => !ContainerLabels.IsOneOff(c.Labels)).ToList();

    /// <summary>Creates a container named "&lt;prefix&gt;-&lt;5 random [a-z0-9]&gt;", picking another suffix on a collision.</summary>
    public async Task<NewContainer> CreateAsync(string prefix, string type, CreateContainerParameters parameters, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            parameters.Name = $"{prefix}-{Suffix()}";
            try
            {
                var created = await docker.Containers.CreateContainerAsync(parameters, ct);
                return new NewContainer(created.ID, parameters.Name, type);
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && attempt < 3)
            {
                // a name collision: pick another suffix
            }
        }
    }

    public async Task StartAsync(string id, CancellationToken ct) =>
        await docker.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);

    private static string Suffix() =>
        string.Create(5, 0, (span, _) =>
        {
            const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[Random.Shared.Next(alphabet.Length)];
        });

    /// <summary>The inspection, or null when the container is gone.</summary>
    public async Task<ContainerInspectResponse?> InspectAsync(string id, CancellationToken ct)
    {
        try
        {
            return await docker.Containers.InspectContainerAsync(id, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Stops the container with its own grace period (SIGTERM, then SIGKILL) and removes it.</summary>
    public async Task StopAndRemoveAsync(ContainerListResponse container, uint defaultGraceSeconds, CancellationToken ct)
    {
        try
        {
            var grace = ContainerLabels.GraceSeconds(container.Labels, defaultGraceSeconds);
            await docker.Containers.StopContainerAsync(container.ID, new ContainerStopParameters { WaitBeforeKillSeconds = grace }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            return;
        }
        await RemoveAsync(container.ID, ct);
    }

    public async Task RemoveAsync(string id, CancellationToken ct)
    {
        try
        {
            await docker.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            // already gone
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // removal already in progress (a retirement and a destroy at once)
        }
    }

    /// <summary>The last lines a container wrote, for error messages.</summary>
    public async Task<string> TailAsync(string id, int lines = 20)
    {
        try
        {
            using var stream = await docker.Containers.GetContainerLogsAsync(id, false,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(CultureInfo.InvariantCulture) }, CancellationToken.None);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(CancellationToken.None);
            var text = (stdout + stderr).TrimEnd();
            return text.Length == 0 ? "(no output)" : text;
        }
        catch (DockerApiException)
        {
            return "(its output could not be read)";
        }
    }

    public async Task EnsureImageAsync(string image, RegistryCredentials? credentials, CancellationToken ct)
    {
        try
        {
            await docker.Images.InspectImageAsync(image, ct);
        }
        catch (DockerImageNotFoundException)
        {
            var (repository, tag) = ImageReference.Split(image);
            try
            {
                var auth = credentials is null ? null : new AuthConfig
                {
                    Username = credentials.Username,
                    Password = credentials.Password,
                    ServerAddress = ImageReference.RegistryHost(repository),
                };
                await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = repository, Tag = tag }, auth, new Progress<JSONMessage>(), ct);
            }
            catch (DockerApiException e)
            {
                throw new DeploymentFailedException($"Could not pull image {image}: {DockerErrors.Message(e)}");
            }
        }
    }


    /// <summary>The container's address on its (bridge) network, which the host can reach.</summary>
    public static string? AddressOf(IDictionary<string, EndpointSettings>? networks) =>
        networks?.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));

    public static string NameOf(ContainerListResponse c) => c.Names.First().TrimStart('/');

    /// <summary>Docker's time of the container's last start, or null if it never started.</summary>
    public static DateTimeOffset? StartedAt(ContainerState? state) =>
        state?.StartedAt is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started)
        && started.Year > 1
            ? started
            : null;
}
