using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Paas.Contracts;

namespace Paas.Router.Tests;

/// <summary>
/// Golden files: each folder under Golden/ holds a route table (input.json, as the controller sends it) and the YARP
/// routes.json and clusters.json it must become. Set PAAS_UPDATE_GOLDEN=1 to rewrite the expected files from the
/// converter's output, then read the diff.
/// </summary>
public sealed class RouteTableConverterTests
{
    private static readonly JsonSerializerOptions Output = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static TheoryData<string> Cases() =>
        new(Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Golden")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void ConvertsTheRouteTableToRoutesAndClusters(string name)
    {
        var input = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name, "input.json"));
        var table = JsonSerializer.Deserialize<RouteTable>(input, PaasJson.Options)!;

        var proxy = RouteTableConverter.Convert(table);

        AssertGolden(name, "routes.json", JsonSerializer.Serialize(proxy.Routes, Output));
        AssertGolden(name, "clusters.json", JsonSerializer.Serialize(proxy.Clusters, Output));
    }

    private static void AssertGolden(string name, string file, string actual, [CallerFilePath] string sourceFile = "")
    {
        if (Environment.GetEnvironmentVariable("PAAS_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(sourceFile)!, "Golden", name, file), actual + "\n");
            return;
        }

        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name, file));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)),
            $"Golden/{name}/{file} differs from the converter's output:\n{actual}");
    }
}
