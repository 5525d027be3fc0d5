namespace Paas.Domain;

/// <summary>Image references ("127.0.0.1:5000/demo:git-1a2b3c4", "busybox") read as Docker reads them.</summary>
public static class ImageReference
{
    /// <summary>Where Docker looks for an image whose first part names no host, and the key its logins use for it.</summary>
    public const string DockerHub = "https://index.docker.io/v1/";

    /// <summary>The registry host: the first part when it names one (has '.' or ':', or is localhost), else null (Docker Hub).</summary>
    public static string? Registry(string image)
    {
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0) return null;
        var first = image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? first : null;
    }

    /// <summary>The registry, with Docker Hub named as its logins name it.</summary>
    public static string RegistryHost(string image) => Registry(image) ?? DockerHub;

    /// <summary>Repository and tag (or digest after '@'); "latest" when none is given.</summary>
    public static (string Repository, string Tag) Split(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) return (image[..at], image[(at + 1)..]);
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }
}
