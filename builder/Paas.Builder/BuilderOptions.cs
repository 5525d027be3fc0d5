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

    /// <summary>The shared secret for the controller's /v2/hooks/ (the app's config for buildpacks, SSH keys).</summary>
    [ConfigurationKeyName("PAAS_SERVICE_TOKEN")]
    public string ServiceToken { get; set; } = "";

    /// <summary>The image buildpack apps build and run on (scripts/lib/stack.sh makes it).</summary>
    [ConfigurationKeyName("PAAS_STACK_IMAGE")]
    public string StackImage { get; set; } = "paas/stack:bookworm";

    /// <summary>The buildpacks shipped with the platform, one directory each.</summary>
    [ConfigurationKeyName("PAAS_BUILDPACKS")]
    public string BuildpacksDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "buildpacks");

    /// <summary>How long a build (image or buildpacks, before the release) may take.</summary>
    [ConfigurationKeyName("PAAS_BUILD_TIMEOUT")]
    public double BuildTimeoutSeconds { get; set; } = 900;

    /// <summary>The largest pack a push may send, in MiB (git's receive.maxInputSize).</summary>
    [ConfigurationKeyName("PAAS_MAX_PUSH_MB")]
    public int MaxPushMegabytes { get; set; } = 512;

    /// <summary>
    /// The Unix socket on which SSH pushes reach the builder (sshd's forced command relays to it); none
    /// when empty. Its directory should let only root and the SSH user in.
    /// </summary>
    [ConfigurationKeyName("PAAS_SSH_SOCKET")]
    public string SshSocket { get; set; } = "";

    /// <summary>The git executable (the real git speaks the wire protocol).</summary>
    [ConfigurationKeyName("PAAS_GIT")]
    public string Git { get; set; } = "git";
}
