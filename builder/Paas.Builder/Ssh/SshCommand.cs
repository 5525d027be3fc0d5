using Paas.Domain;

namespace Paas.Builder.Ssh;

/// <summary>
/// What a git client asked sshd to run (SSH_ORIGINAL_COMMAND): <c>git-receive-pack '/demo.git'</c> for a
/// push, <c>git-upload-pack 'demo.git'</c> for a fetch. Anything else is refused: the forced command
/// never runs a shell.
/// </summary>
public sealed record SshCommand(string Service, string App)
{
    public static SshCommand Parse(string? original)
    {
        var text = (original ?? "").Trim();
        const string usage = "Paas accepts git pushes only over SSH: git push ssh://git@HOST:PORT/APP.git main";
        if (text.Length == 0) throw new ValidationFailedException("command", $"Hi! There is no shell here. {usage}");
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0) throw new ValidationFailedException("command", usage);
        var service = text[..space] switch
        {
            "git-receive-pack" or "git receive-pack" => "receive-pack",
            "git-upload-pack" or "git upload-pack" => "upload-pack",
            _ => null,
        };
        var rest = text[(space + 1)..].Trim();
        if (service is null && text.StartsWith("git ", StringComparison.Ordinal))
        {
            // "git receive-pack 'x'" (two words)
            var second = rest.IndexOf(' ', StringComparison.Ordinal);
            service = second > 0 ? rest[..second] switch { "receive-pack" => "receive-pack", "upload-pack" => "upload-pack", _ => null } : null;
            rest = second > 0 ? rest[(second + 1)..].Trim() : "";
        }
        if (service is null) throw new ValidationFailedException("command", usage);

        var path = rest.Length >= 2 && (rest[0] == '\'' && rest[^1] == '\'' || rest[0] == '"' && rest[^1] == '"') ? rest[1..^1] : rest;
        path = path.TrimStart('/');
        if (path.EndsWith('/')) path = path[..^1];
        var app = path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
        // The name becomes a path on the builder: only what an app name may be gets through.
        AppName.Validate(app);
        return new SshCommand(service, app);
    }
}
