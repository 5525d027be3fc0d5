using Microsoft.Extensions.Configuration;

namespace Paas.Builder;

/// <summary>The builder's settings, read from environment variables (see DEVELOPERS.md).</summary>
public sealed class BuilderOptions
{
    /// <summary>Where the bare repositories live, one per app.</summary>
    [ConfigurationKeyName("PAAS_GIT_ROOT")]
    public string GitRoot { get; set; } = "/var/lib/paas/git";

    /// <summary>Images are tagged &lt;Registry&gt;/&lt;app&gt;:git-&lt;sha7&gt; and pushed there.</summary>
    [ConfigurationKeyName("PAAS_REGISTRY")]
    public string Registry { get; set; } = "127.0.0.1:5000";

    [ConfigurationKeyName("PAAS_CONTROLLER_URL")]
    public string ControllerUrl { get; set; } = "http://127.0.0.1:8000";

    [ConfigurationKeyName("DOCKER_HOST")]
    public string DockerHost { get; set; } = "unix:///var/run/docker.sock";

    /// <summary>How long a push waits for the controller to release and start the build.</summary>
    [ConfigurationKeyName("PAAS_RELEASE_TIMEOUT")]
    public double ReleaseTimeoutSeconds { get; set; } = 600;

    /// <summary>The git executable (the real git speaks the wire protocol).</summary>
    [ConfigurationKeyName("PAAS_GIT")]
    public string Git { get; set; } = "git";
}
