using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Paas.Domain;

/// <summary>An SSH public key a user pushes with (`paas keys:add`); the SSH receiver finds users by its fingerprint.</summary>
public sealed class SshKey
{
    private SshKey() { Name = ""; Owner = ""; Public = ""; Fingerprint = ""; }

    public SshKey(string name, string owner, string publicKey, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ValidationFailedException("id", "A key needs a name (id).", "This field may not be blank.");
        if (name.Length > 128 || name.Any(char.IsWhiteSpace))
            throw new ValidationFailedException("id", $"Key name '{name}' must be at most 128 characters, without spaces.");
        Id = Guid.NewGuid();
        Name = name;
        Owner = owner;
        var parsed = Parse(publicKey);
        Public = publicKey.Trim();
        Fingerprint = parsed.Fingerprint;
        Created = Updated = now;
    }

    public Guid Id { get; private set; }

    /// <summary>The key's id in Deis's API (the name the user gave, often its comment).</summary>
    public string Name { get; private set; }

    public string Owner { get; private set; }
    public string Public { get; private set; }

    /// <summary>MD5 of the key blob as colon-separated hex (what Deis's builder looks up).</summary>
    public string Fingerprint { get; private set; }

    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    private static readonly HashSet<string> Types =
        ["ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
         "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com"];

    public sealed record ParsedKey(string Type, byte[] Blob, string? Comment, string Fingerprint, string Sha256Fingerprint);

    /// <summary>Reads an OpenSSH public key line ("ssh-ed25519 AAAA... comment"), checking that it is one.</summary>
    public static ParsedKey Parse(string text)
    {
        var line = text.Trim();
        if (line.Length == 0) throw new ValidationFailedException("public", "The public key is empty.", "This field may not be blank.");
        var parts = line.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !Types.Contains(parts[0]))
            throw new ValidationFailedException("public",
                "This is not an SSH public key: expected a line like 'ssh-ed25519 AAAA... you@host' (the .pub file, not the private key).");
        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(parts[1]);
        }
        catch (FormatException)
        {
            throw new ValidationFailedException("public", "The key's data is not valid base64.", "Key contains invalid base64 chars");
        }
        // The blob starts with its own type name: a length-prefixed string.
        if (blob.Length < 4 || BinaryPrimitives.ReadUInt32BigEndian(blob) is var length && length > blob.Length - 4 ||
            Encoding.ASCII.GetString(blob, 4, (int)BinaryPrimitives.ReadUInt32BigEndian(blob)) != parts[0])
            throw new ValidationFailedException("public", $"The key's data does not match its type {parts[0]}; is the file damaged?");
#pragma warning disable CA5351 // MD5 names keys (OpenSSH's legacy fingerprint, Deis's lookup key); it secures nothing.
        var md5 = string.Join(':', Convert.ToHexStringLower(MD5.HashData(blob)).Chunk(2).Select(c => new string(c)));
#pragma warning restore CA5351
        var sha256 = "SHA256:" + Convert.ToBase64String(SHA256.HashData(blob)).TrimEnd('=');
        return new ParsedKey(parts[0], blob, parts.Length > 2 ? parts[2] : null, md5, sha256);
    }
}
