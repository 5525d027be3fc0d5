using System.Net.Sockets;
using System.Text;

namespace Paas.Builder.Ssh;

/// <summary>
/// The small programs sshd runs, as the SSH user, before the builder takes over (the builder's own dll,
/// started with a verb instead of as a web app):
/// <list type="bullet">
/// <item><c>ssh-keys SOCKET TYPE KEY</c>: sshd's AuthorizedKeysCommand. Asks the builder who owns the
/// offered key and prints one authorized_keys line whose forced command is <c>ssh-receive</c>.</item>
/// <item><c>ssh-receive SOCKET FINGERPRINT</c>: the forced command. Hands SSH_ORIGINAL_COMMAND to the
/// builder and relays the git protocol both ways, so git runs as the builder (which owns the
/// repositories) and a push goes through the same checks and build as over HTTP.</item>
/// </list>
/// Both talk to the builder over its Unix socket, which only the SSH user and root can reach.
/// </summary>
public static class SshRelay
{
    public static bool Handles(string[] args) => args is ["ssh-keys", ..] or ["ssh-receive", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            return args switch
            {
                ["ssh-keys", var socket, var type, var key] => await KeysAsync(socket, type, key),
                ["ssh-receive", var socket, var fingerprint] => await ReceiveAsync(socket, fingerprint),
                _ => Usage(),
            };
        }
        catch (SocketException e)
        {
            await Console.Error.WriteLineAsync($"The Paas builder is not reachable ({e.Message}); try again later.");
            return 1;
        }
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: ssh-keys SOCKET TYPE KEY | ssh-receive SOCKET FINGERPRINT");
        return 2;
    }

    private static async Task<int> KeysAsync(string socketPath, string type, string key)
    {
        using var socket = await ConnectAsync(socketPath);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"key {type} {key}\n"));
        var answer = await ReadLineAsync(stream);
        // "ok FINGERPRINT": a user owns it. Anything else: print nothing, so sshd refuses the key.
        if (answer?.StartsWith("ok ", StringComparison.Ordinal) != true) return 0;
        var fingerprint = answer[3..].Trim();
        var self = $"{Environment.ProcessPath} {typeof(SshRelay).Assembly.Location}";
        Console.Out.Write($"command=\"{self} ssh-receive {socketPath} {fingerprint}\",restrict {type} {key}\n");
        return 0;
    }

    private static async Task<int> ReceiveAsync(string socketPath, string fingerprint)
    {
        using var socket = await ConnectAsync(socketPath);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var original = Environment.GetEnvironmentVariable("SSH_ORIGINAL_COMMAND") ?? "";
        await stream.WriteAsync(Encoding.UTF8.GetBytes($"receive {fingerprint} {original.Replace('\n', ' ')}\n"));
        var status = await ReadLineAsync(stream);
        if (status != "ok")
        {
            var message = status?.StartsWith("error ", StringComparison.Ordinal) == true ? status[6..] : "The builder did not accept the push.";
            await Console.Error.WriteLineAsync(message);
            return 1;
        }

        await using var stdin = Console.OpenStandardInput();
        await using var stdout = Console.OpenStandardOutput();
        // Client to git: when the client is done sending, git sees the end of its input.
        _ = Task.Run(async () =>
        {
            try
            {
                await stdin.CopyToAsync(stream);
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
            {
                // git finished first
            }
        });
        // Git to client, as it comes (hook output must reach the pusher at once).
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            await stdout.WriteAsync(buffer.AsMemory(0, read));
            await stdout.FlushAsync();
        }
        return 0;
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>One line, byte by byte, so nothing after it is consumed.</summary>
    internal static async Task<string?> ReadLineAsync(Stream stream, int limit = 8192)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < limit)
        {
            if (await stream.ReadAsync(one) == 0) return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
            if (one[0] == '\n') return Encoding.UTF8.GetString([.. bytes]);
            bytes.Add(one[0]);
        }
        return null;
    }
}
