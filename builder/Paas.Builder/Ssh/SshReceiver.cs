using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Options;
using Paas.Builder.Git;
using Paas.Domain;

namespace Paas.Builder.Ssh;

/// <summary>
/// The builder's end of SSH pushes: listens on a Unix socket (PAAS_SSH_SOCKET) for what sshd's
/// AuthorizedKeysCommand and forced command (<see cref="SshRelay"/>) ask. A push is checked like an
/// HTTP one (the key's owner must be allowed to use the app; one push per app at a time), then the
/// real `git receive-pack` runs here with the same pre-receive hook, its protocol relayed over the socket.
/// </summary>
public sealed class SshReceiver(
    IOptions<BuilderOptions> options,
    ControllerClient controller,
    Repositories repositories,
    PushSessions sessions,
    HookAddress hook,
    ILogger<SshReceiver> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var path = options.Value.SshSocket;
        if (string.IsNullOrEmpty(path)) return;
        if (File.Exists(path)) File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        // Who may connect is decided by the socket's directory (root and the SSH user only).
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);
        listener.Listen(64);
        logger.LogInformation("Taking SSH pushes on {Socket}", path);
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            _ = Task.Run(() => ServeAsync(connection, stoppingToken), CancellationToken.None);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken ct)
    {
        using var _ = connection;
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        try
        {
            var request = await SshRelay.ReadLineAsync(stream);
            var parts = request?.Split(' ', 3) ?? [];
            switch (parts)
            {
                case ["key", var type, var key]:
                    await AnswerKeyAsync(stream, $"{type} {key}", ct);
                    break;
                case ["receive", var fingerprint, var command]:
                    await ReceiveAsync(connection, stream, fingerprint, command, ct);
                    break;
                case ["receive", var fingerprint]:
                    await ReceiveAsync(connection, stream, fingerprint, "", ct);
                    break;
                default:
                    await SayAsync(stream, "error The builder did not understand the SSH relay.");
                    break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            logger.LogDebug(e, "SSH connection ended early");
        }
        catch (Exception e)
        {
            logger.LogError(e, "SSH connection failed");
            try { await SayAsync(stream, $"error The builder failed unexpectedly: {e.Message}"); } catch (IOException) { }
        }
    }

    private async Task AnswerKeyAsync(Stream stream, string publicKey, CancellationToken ct)
    {
        string fingerprint;
        try
        {
            fingerprint = SshKey.Parse(publicKey).Fingerprint;
        }
        catch (ValidationFailedException)
        {
            await SayAsync(stream, "none");
            return;
        }
        var owner = await controller.FindKeyOwnerAsync(fingerprint, ct);
        await SayAsync(stream, owner is null ? "none" : $"ok {fingerprint}");
    }

    private async Task ReceiveAsync(Socket connection, Stream stream, string fingerprint, string original, CancellationToken ct)
    {
        SshCommand command;
        try
        {
            command = SshCommand.Parse(original);
        }
        catch (ValidationFailedException e)
        {
            await SayAsync(stream, $"error {e.Message}");
            return;
        }
        var owner = await controller.FindKeyOwnerAsync(fingerprint, ct);
        if (owner is null)
        {
            await SayAsync(stream, "error This SSH key belongs to no Paas user any more; add it again with: paas keys:add");
            return;
        }
        // The controller listed the apps the key's owner may use: the same check as an HTTP push.
        if (!owner.Apps.Contains(command.App, StringComparer.Ordinal))
        {
            await SayAsync(stream, $"error App {command.App} does not exist, or {owner.Username} may not push to it. Ask its owner to run: paas perms:create {owner.Username} -a {command.App}");
            return;
        }
        var path = await repositories.EnsureAsync(command.App, ct);
        if (command.Service == "upload-pack")
        {
            await SayAsync(stream, "ok");
            await RunGitAsync(connection, stream, command.Service, path, new Dictionary<string, string>(), ct);
            return;
        }

        var webUrl = owner.WebUrls?.GetValueOrDefault(command.App) ?? "";
        var session = sessions.TryStart(command.App, owner.Username, path, webUrl, Stopwatch.GetTimestamp());
        if (session is null)
        {
            await SayAsync(stream, $"error {PushSessions.BusyMessage(command.App)}");
            return;
        }
        try
        {
            await SayAsync(stream, "ok");
            await RunGitAsync(connection, stream, command.Service, path, new Dictionary<string, string>
            {
                ["PAAS_PUSH_ID"] = session.Id.ToString(),
                ["PAAS_HOOK_URL"] = hook.Url,
            }, ct);
        }
        finally
        {
            sessions.End(session);
        }
    }

    private async Task RunGitAsync(Socket connection, Stream stream, string service, string repositoryPath,
        IReadOnlyDictionary<string, string> environment, CancellationToken ct)
    {
        var start = Repositories.GitStartInfo(options.Value, service, repositoryPath, statelessRpc: false);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        using var kill = ct.Register(() =>
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        });
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        // The client's data to git; ends when the client half-closes or git exits.
        var input = Task.Run(async () =>
        {
            try
            {
                await stream.CopyToAsync(process.StandardInput.BaseStream, ct);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                try { process.StandardInput.Close(); } catch (IOException) { }
            }
        }, CancellationToken.None);
        var buffer = new byte[64 * 1024];
        int read;
        var output = process.StandardOutput.BaseStream;
        while ((read = await output.ReadAsync(buffer, ct)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
            await stream.FlushAsync(ct);
        }
        await process.WaitForExitAsync(ct);
        // git is done: the relay sees the end of the stream and sshd closes the session.
        try { connection.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        await Task.WhenAny(input, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        var errors = await stderr;
        if (process.ExitCode != 0)
            logger.LogWarning("git {Service} over SSH for {Repository} exited {Code}: {Errors}", service, repositoryPath, process.ExitCode, errors.Trim());
    }

    private static async Task SayAsync(Stream stream, string line)
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line.Replace('\n', ' ') + "\n"));
        await stream.FlushAsync();
    }
}
