using System.CommandLine;

namespace Paas.Cli.Commands;

/// <summary><c>keys:list</c>, <c>keys:add</c>, <c>keys:remove</c>: the user's SSH public keys.</summary>
internal static class KeysCommands
{
    /// <summary>Where <c>keys:add</c> looks when given no file, in this order (ssh-keygen's default names).</summary>
    private static readonly string[] DefaultKeys = ["id_ed25519.pub", "id_ecdsa.pub", "id_rsa.pub"];

    public static IEnumerable<Command> Create(CliContext cli) => [List(cli), Add(cli), Remove(cli)];

    private static Command List(CliContext cli)
    {
        var json = CommonOptions.Json();
        var command = new Command("keys:list", "List your SSH public keys") { json }.WithAliases("keys");

        command.SetAction(async (parse, ct) =>
        {
            using var client = cli.ConnectAsUser();
            var keys = await client.ListKeysAsync(ct);
            if (parse.GetValue(json))
            {
                cli.Output.Json(keys);
                return;
            }

            cli.Output.Header($"{cli.RequireProfile().Username} Keys");
            if (keys.Count == 0)
            {
                cli.Output.Line("No keys (add yours with: paas keys:add)");
                return;
            }

            cli.Output.Table(
                ["id", "key", "fingerprint"],
                keys.Select(key => (IReadOnlyList<string>)[key.Id, Abbreviate(key.Public ?? ""), key.Fingerprint ?? ""]));
        });
        return command;
    }

    private static Command Add(CliContext cli)
    {
        var path = new Argument<string?>("PATH")
        {
            Description = $"The public key file (default: the first of ~/.ssh/{string.Join(", ", DefaultKeys)})",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var name = new Option<string?>("--name")
        {
            Description = "The key's id (default: the key's comment, else the file's name without .pub)",
            HelpName = "ID",
        };
        var command = new Command("keys:add", "Add an SSH public key to your account") { path, name };

        command.SetAction(async (parse, ct) =>
        {
            var file = parse.GetValue(path) is { } given
                ? Path.GetFullPath(given, cli.Environment.WorkingDirectory)
                : DefaultKey(cli.Environment.HomeDirectory);
            var publicKey = ReadPublicKey(file);
            var id = parse.GetValue(name) is { Length: > 0 } chosen ? chosen : Comment(publicKey) ?? Path.GetFileNameWithoutExtension(file);

            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Uploading {Path.GetFileName(file)} as {id}", () => client.AddKeyAsync(id, publicKey, ct));
        });
        return command;
    }

    private static Command Remove(CliContext cli)
    {
        var id = new Argument<string>("ID") { Description = "The key's id, as keys:list shows it" };
        var command = new Command("keys:remove", "Remove an SSH public key from your account") { id };

        command.SetAction(async (parse, ct) =>
        {
            var key = parse.GetValue(id)!;
            using var client = cli.ConnectAsUser();
            await cli.Output.StepAsync($"Removing key {key}", () => client.RemoveKeyAsync(key, ct));
        });
        return command;
    }

    private static string DefaultKey(string home)
    {
        var directory = Path.Combine(home, ".ssh");
        return DefaultKeys.Select(name => Path.Combine(directory, name)).FirstOrDefault(File.Exists)
            ?? throw new CliException(
                $"No public key found in {directory} ({string.Join(", ", DefaultKeys)}). Give a file (paas keys:add PATH) or create one with: ssh-keygen -t ed25519");
    }

    /// <summary>The whole file, as Deis sends it; refuses a private key given by mistake.</summary>
    private static string ReadPublicKey(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the key file {file}: {e.Message}", e);
        }

        if (text.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            throw new CliException($"{file} is a private key; give the public one ({Path.GetFileName(file)}.pub). A private key never leaves your machine.");
        }

        return text.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Length >= 2
            ? text
            : throw new CliException($"{file} does not look like an SSH public key (expected e.g. \"ssh-ed25519 AAAA... you@host\")");
    }

    /// <summary>The first word of the key's comment (<c>ssh-ed25519 AAAA… alice@laptop</c>), if it has one.</summary>
    private static string? Comment(string publicKey)
    {
        var fields = publicKey.Trim().Split('\n')[0].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        return fields.Length >= 3 ? fields[2] : null;
    }

    /// <summary><c>ssh-ed25519 AAAAC3NzaC1lZDI1...Jz9Ma0vRxA alice@laptop</c>.</summary>
    private static string Abbreviate(string publicKey)
    {
        var fields = publicKey.Trim().Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 2 || fields[1].Length <= 26)
        {
            return string.Join(' ', fields);
        }

        var material = fields[1];
        return string.Join(' ', [fields[0], $"{material[..16]}...{material[^10..]}", .. fields[2..]]);
    }
}
