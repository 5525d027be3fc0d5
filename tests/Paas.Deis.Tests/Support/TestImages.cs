using Paas.Testing;

namespace Paas.Deis.Tests.Support;

/// <summary>
/// Images "built elsewhere" for `deis builds:create`: busybox httpd serving a page that names the image's
/// version, and /greeting.txt with the GREETING from the app's config (see <see cref="Procfile"/>). Built on the platform's
/// Docker engine from the local base image and pushed to the platform's registry.
/// </summary>
public static class TestImages
{
    /// <summary>web writes its GREETING into /greeting.txt as it starts (busybox httpd's CGI gets no environment).</summary>
    public const string Procfile = "web: sh -c 'echo \"greeting=$GREETING\" > /www/greeting.txt; exec httpd -f -p $PORT -h /www'\nworker: sleep 100000\n";

    public static async Task<string> PushAsync(PlatformFixture platform, string name, string version)
    {
        var context = Directory.CreateTempSubdirectory("paas-deis-image-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(context.FullName, "Dockerfile"), $$"""
                FROM paas/busybox:latest
                RUN mkdir -p /www && echo 'page {{version}}' > /www/index.html
                CMD ["sh", "-c", "exec httpd -f -p $PORT -h /www"]
                """);
            var image = $"{platform.Registry}/{name}:{version}";
            var docker = new Dictionary<string, string?> { ["DOCKER_HOST"] = platform.DockerHost };
            (await Processes.RunAsync("docker", ["build", "-q", "-t", image, context.FullName], environment: docker)).ShouldSucceed("docker build");
            (await Processes.RunAsync("docker", ["push", image], environment: docker)).ShouldSucceed("docker push");
            return image;
        }
        finally
        {
            context.Delete(recursive: true);
        }
    }
}
