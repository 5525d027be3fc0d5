using Paas.Domain;

namespace Paas.Domain.Tests;

public sealed class ProcfileTests
{
    [Fact]
    public void Reads_types_and_commands_skipping_comments_and_blank_lines()
    {
        var types = Procfile.Parse("# processes\nweb: bin/server --port $PORT\r\n\nworker:   bin/worker -q default: high\n");
        Assert.Equal(new Dictionary<string, string> { ["web"] = "bin/server --port $PORT", ["worker"] = "bin/worker -q default: high" }, types);
    }

    [Theory]
    [InlineData("just a command", "line 1 is not 'type: command'")]
    [InlineData("Web: server", "Process type 'Web' is invalid")]
    [InlineData("web_worker: server", "Process type 'web_worker' is invalid")]
    public void Says_which_line_is_wrong(string text, string message) =>
        Assert.Contains(message, Assert.Throws<ValidationFailedException>(() => Procfile.Parse(text)).Message);
}
