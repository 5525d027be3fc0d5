using System.Text.Json;
using Paas.Cli.Api;

namespace Paas.Cli;

/// <summary>Who the user is logged in as, and where: <c>~/.paas/client.json</c>.</summary>
public sealed record Profile(string Controller, string Username, string Token);

/// <summary>
/// Reads and writes the profile. <c>PAAS_PROFILE=name</c> selects <c>~/.paas/name.json</c>
/// (as <c>DEIS_PROFILE</c> does for deis); a value that is a path ending in <c>.json</c> is used
/// as that path. The file holds a token, so it is private to the user (0600, directory 0700).
/// </summary>
public sealed class ProfileStore(CliEnvironment environment)
{
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public string Path { get; } = ResolvePath(environment);

    public Profile? Load()
    {
        string json;
        try
        {
            json = File.ReadAllText(Path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read the profile {Path}: {e.Message}", e);
        }

        try
        {
            var profile = JsonSerializer.Deserialize<Profile>(json, ApiJson.Options);
            if (profile is null || string.IsNullOrEmpty(profile.Controller) || string.IsNullOrEmpty(profile.Token))
            {
                throw new JsonException("controller or token is missing");
            }

            return profile;
        }
        catch (JsonException e)
        {
            throw new CliException($"The profile {Path} is damaged ({e.Message}). Log in again: paas auth:login URL --username NAME", e);
        }
    }

    /// <summary>Writes the profile whole (a temporary file renamed over it), never readable by others.</summary>
    public void Save(Profile profile)
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var temporary = Path + ".tmp";
        try
        {
            Directory.CreateDirectory(directory, PrivateDirectory);
            File.Delete(temporary);
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = PrivateFile,
            }))
            {
                JsonSerializer.Serialize(stream, profile, ApiJson.Indented);
                stream.WriteByte((byte)'\n');
            }

            File.SetUnixFileMode(temporary, PrivateFile); // the umask may take bits away; make sure of 0600
            File.Move(temporary, Path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot write the profile {Path}: {e.Message}", e);
        }
    }

    /// <summary>Removes the profile; false when there was none.</summary>
    public bool Delete()
    {
        try
        {
            if (!File.Exists(Path))
            {
                return false;
            }

            File.Delete(Path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot remove the profile {Path}: {e.Message}", e);
        }
    }

    private static string ResolvePath(CliEnvironment environment)
    {
        var directory = System.IO.Path.Combine(environment.HomeDirectory, ".paas");
        var name = environment.Variable("PAAS_PROFILE");
        if (name is null)
        {
            return System.IO.Path.Combine(directory, "client.json");
        }

        var isPath = name.Contains('/') || name.Contains(System.IO.Path.DirectorySeparatorChar);
        if (isPath && name.EndsWith(".json", StringComparison.Ordinal))
        {
            return System.IO.Path.GetFullPath(name, environment.WorkingDirectory);
        }

        return isPath || name is "." or ".."
            ? throw new CliException($"PAAS_PROFILE={name} is neither a profile name (e.g. alice) nor a path ending in .json")
            : System.IO.Path.Combine(directory, name + ".json");
    }
}
