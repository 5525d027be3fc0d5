using Paas.Builder.Ssh;
using Paas.Domain;

namespace Paas.Builder.Tests;

/// <summary>What sshd's forced command accepts from SSH_ORIGINAL_COMMAND: git's two services on an app's repository, nothing else.</summary>
public sealed class SshCommandTests
{
    [Theory]
    [InlineData("git-receive-pack '/demo.git'", "receive-pack", "demo")]
    [InlineData("git-receive-pack 'demo.git'", "receive-pack", "demo")]
    [InlineData("git receive-pack '/demo'", "receive-pack", "demo")]
    [InlineData("git-upload-pack '/my-app.git/'", "upload-pack", "my-app")]
    public void Git_services_on_an_app_are_accepted(string original, string service, string app) =>
        Assert.Equal(new SshCommand(service, app), SshCommand.Parse(original));

    [Theory]
    [InlineData("", "There is no shell here")]
    [InlineData("ls -la", "accepts git pushes only")]
    [InlineData("git-receive-pack '../../etc/passwd'", "")]
    [InlineData("git-upload-archive 'demo.git'", "accepts git pushes only")]
    public void Anything_else_is_refused(string original, string message)
    {
        var error = Assert.Throws<ValidationFailedException>(() => SshCommand.Parse(original));
        Assert.Contains(message, error.Message);
    }
}
