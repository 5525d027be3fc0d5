using YamlDotNet.RepresentationModel;

namespace Paas.Chart.Tests;

/// <summary>The chart's files, without helm or a cluster.</summary>
public sealed class ChartFilesTests
{
    [Fact]
    public void ChartYamlParsesAndNamesAHelm3Chart()
    {
        var chart = ChartFiles.LoadMapping("Chart.yaml");
        Assert.Equal("v2", Scalar(chart, "apiVersion"));
        Assert.Equal("paas", Scalar(chart, "name"));
        Assert.Equal("application", Scalar(chart, "type"));
        Assert.Matches(@"^\d+\.\d+\.\d+", Scalar(chart, "version"));
        Assert.False(string.IsNullOrEmpty(Scalar(chart, "appVersion")));
    }

    [Fact]
    public void ValuesYamlParsesWithTheSettingsTheIssueAsksFor()
    {
        var values = ChartFiles.LoadMapping("values.yaml");
        Assert.Equal("admin_only", Scalar(values, "platform.registrationMode"));
        Assert.Equal("localhost", Scalar(values, "platform.domain"));
        Assert.Equal("keep", Scalar(values, "platform.appNamespaces.onUninstall"));
        Assert.Equal("NodePort", Scalar(values, "router.service.type"));
        Assert.Equal("dind", Scalar(values, "builder.docker.mode"));
        foreach (var replaceable in new[] { "postgres", "rabbitmq", "registry" })
        {
            Assert.Equal("true", Scalar(values, $"{replaceable}.enabled"));
            Assert.True(ChartFiles.Has(values, $"{replaceable}.external"), $"{replaceable}.external is missing");
            Assert.True(ChartFiles.Has(values, $"{replaceable}.persistence.enabled"), $"{replaceable}.persistence.enabled is missing");
        }
    }

    [Fact]
    public void EveryValuesPathATemplateUsesExistsInValuesYaml()
    {
        var values = ChartFiles.LoadMapping("values.yaml");
        var used = ChartFiles.ValuePathsUsed();
        // The scan must see the templates' real uses, or this test proves nothing.
        Assert.Contains(used, u => u.Path == "platform.domain");
        Assert.Contains(used, u => u.Path == "controller.service.nodePort");
        Assert.True(used.Count > 100, $"only {used.Count} value uses found");

        var missing = used.Where(u => !ChartFiles.Has(values, u.Path)).Select(u => $"{u.Path} ({u.Where})").Distinct().ToList();
        Assert.True(missing.Count == 0, "used by a template but not in values.yaml:\n" + string.Join('\n', missing));
    }

    [Fact]
    public void TheScanCatchesAPathThatIsNotInValuesYaml()
    {
        var values = ChartFiles.LoadMapping("values.yaml");
        Assert.True(ChartFiles.Has(values, "router.service.nodePorts.http"));
        Assert.False(ChartFiles.Has(values, "router.service.nodePorts.ftp"));
        Assert.False(ChartFiles.Has(values, "platform.domain.name"));
    }

    private static string Scalar(YamlMappingNode root, string path)
    {
        YamlNode node = root;
        foreach (var segment in path.Split('.')) node = ((YamlMappingNode)node).Children[new YamlScalarNode(segment)];
        return ((YamlScalarNode)node).Value ?? "";
    }
}
