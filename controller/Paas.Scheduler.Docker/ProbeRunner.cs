using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Docker;

/// <summary>The outcome of one check, in words for messages and logs ("HTTP 500", "exit code 1").</summary>
internal sealed record ProbeResult(bool Passed, string Detail);

/// <summary>
/// Runs one attempt of a readiness or liveness check against a container, with Kubernetes's meaning:
/// httpGet passes on a status of 200-399, tcpSocket when the port accepts a connection, exec when the
/// command (run in the container, no shell) exits 0; anything slower than the probe's timeout fails.
/// </summary>
internal sealed class ProbeRunner(IDockerClient docker)
{
    // No redirects followed (3xx already passes) and no kept connections: container addresses are reused.
    private static readonly HttpClient Http = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public static int PortOf(Probe probe) => probe.Port ?? DeploymentSpec.WebPort;

    /// <summary>"httpGet /health on port 5000", as users read it in failure messages.</summary>
    public static string Describe(Probe probe) => probe.Kind switch
    {
        ProbeKind.HttpGet => $"httpGet {probe.Path} on port {PortOf(probe)}",
        ProbeKind.TcpSocket => $"tcpSocket on port {PortOf(probe)}",
        _ => $"exec {string.Join(' ', probe.Command ?? [])}",
    };

    public async Task<ProbeResult> RunAsync(Probe probe, string containerId, string? address, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(1, probe.TimeoutSeconds));
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            return probe.Kind switch
            {
                ProbeKind.HttpGet => address is null ? NoAddress : await HttpGetAsync(probe, address, limit.Token),
                ProbeKind.TcpSocket => address is null ? NoAddress : await TcpAsync(address, PortOf(probe), limit.Token),
                _ => await ExecAsync(probe, containerId, limit.Token),
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProbeResult(false, $"no answer within {Seconds(timeout)}");
        }
    }

    private static readonly ProbeResult NoAddress = new(false, "the process has no network address");

    private static async Task<ProbeResult> HttpGetAsync(Probe probe, string address, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{address}:{PortOf(probe)}{probe.Path}");
        request.Headers.ConnectionClose = true;
        request.Headers.UserAgent.ParseAdd("paas-probe/1.0");
        foreach (var (name, value) in probe.Headers ?? new Dictionary<string, string>())
        {
            if (string.Equals(name, "Host", StringComparison.OrdinalIgnoreCase)) request.Headers.Host = value;
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        try
        {
            using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return new ProbeResult(status is >= 200 and < 400, $"HTTP {status}");
        }
        catch (HttpRequestException e)
        {
            return new ProbeResult(false, e.InnerException is SocketException socket ? Describe(socket) : e.Message);
        }
    }

    private static async Task<ProbeResult> TcpAsync(string address, int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port, ct);
            return new ProbeResult(true, "connected");
        }
        catch (SocketException e)
        {
            return new ProbeResult(false, Describe(e));
        }
    }

    private async Task<ProbeResult> ExecAsync(Probe probe, string containerId, CancellationToken ct)
    {
        try
        {
            var exec = await docker.Exec.ExecCreateContainerAsync(containerId, new ContainerExecCreateParameters
            {
                Cmd = probe.Command?.ToList() ?? [],
                AttachStdout = true,
                AttachStderr = true,
            }, ct);
            string output;
            using (var stream = await docker.Exec.StartAndAttachContainerExecAsync(exec.ID, false, ct))
            {
                var (stdout, stderr) = await DockerStreams.ReadAsync(stream, () => stream.ReadOutputToEndAsync(ct), ct);
                output = (stdout + stderr).Trim();
            }
            var result = await docker.Exec.InspectContainerExecAsync(exec.ID, ct);
            if (result.ExitCode == 0) return new ProbeResult(true, "exit code 0");
            var firstLine = output.Split('\n', 2)[0].Trim();
            if (firstLine.Length > 200) firstLine = firstLine[..200] + "...";
            return new ProbeResult(false, firstLine.Length == 0 ? $"exit code {result.ExitCode}" : $"exit code {result.ExitCode}: {firstLine}");
        }
        catch (DockerContainerNotFoundException)
        {
            return new ProbeResult(false, "the process is gone");
        }
        catch (DockerApiException e)
        {
            // e.g. 409 "container is not running", or a command that does not exist in the image
            return new ProbeResult(false, e.ResponseBody.Trim());
        }
    }

    private static string Describe(SocketException e) => e.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => "address unreachable",
        SocketError.ConnectionReset => "connection reset",
        _ => e.Message,
    };

    public static string Seconds(TimeSpan span) => $"{span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
}
