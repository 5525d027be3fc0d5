using System.Text;
using k8s;
using Paas.Domain;
using Paas.Domain.Scheduling;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Paas.Scheduler.Kubernetes.Tests;

/// <summary>
/// The manifests of a release, from folders of input.yaml (the app, its release and formation, as the controller
/// hands them to the scheduler) and the expected manifests.yaml, in the order they are applied.
/// PAAS_UPDATE_GOLDEN=1 rewrites the expected files from what the code produces (then read the diff).
/// </summary>
public sealed class ManifestGoldenTests
{
    private static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Golden");

    public static TheoryData<string> Cases() => new(Directory.GetDirectories(Root).Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Manifests_match_the_golden_file(string name)
    {
        var folder = Path.Combine(Root, name);
        var spec = GoldenInput.Read(File.ReadAllText(Path.Combine(folder, "input.yaml")));

        var actual = Render(AppManifests.For(spec));

        var expectedFile = Path.Combine(folder, "manifests.yaml");
        if (Environment.GetEnvironmentVariable("PAAS_UPDATE_GOLDEN") == "1")
        {
            var source = Path.Combine(SourceDirectory(), "Golden", name, "manifests.yaml");
            File.WriteAllText(source, actual);
            return;
        }
        Assert.True(File.Exists(expectedFile), $"{name}/manifests.yaml is missing; run with PAAS_UPDATE_GOLDEN=1 to write it");
        Assert.Equal(File.ReadAllText(expectedFile).ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void Every_manifest_uses_only_API_versions_served_by_Kubernetes_1_19_and_later()
    {
        string[] allowed = ["v1", "apps/v1", "autoscaling/v1"];
        foreach (var folder in Directory.GetDirectories(Root))
        {
            var objects = AppManifests.For(GoldenInput.Read(File.ReadAllText(Path.Combine(folder, "input.yaml")))).All;
            Assert.All(objects, o => Assert.Contains(o.ApiVersion, allowed));
        }
    }

    [Fact]
    public void Applying_needs_no_field_the_API_server_fills_in()
    {
        // Server-side apply makes Paas own what it sends: status, uids or resource versions must never be among it.
        var spec = GoldenInput.Read(File.ReadAllText(Path.Combine(Root, "several-types", "input.yaml")));
        var yaml = Render(AppManifests.For(spec));
        Assert.DoesNotContain("status:", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("resourceVersion", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("uid:", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("creationTimestamp", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Awkward_config_values_reach_the_Secret_byte_for_byte()
    {
        var spec = GoldenInput.Read(File.ReadAllText(Path.Combine(Root, "awkward-secrets", "input.yaml")));

        var secret = AppManifests.For(spec).Secrets[0];

        Assert.Equal(spec.Environment.Keys.Order(StringComparer.Ordinal), secret.Data.Keys);
        Assert.All(spec.Environment, kv => Assert.Equal(kv.Value, Encoding.UTF8.GetString(secret.Data[kv.Key])));
        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n", spec.Environment["CERT"]);
        Assert.Equal("", spec.Environment["EMPTY"]);
    }

    [Fact]
    public void The_pull_secret_holds_the_registry_credentials_for_the_image_host()
    {
        var spec = GoldenInput.Read(File.ReadAllText(Path.Combine(Root, "private-registry", "input.yaml")));

        var secret = AppManifests.For(spec).Secrets.Single(s => s.Type == "kubernetes.io/dockerconfigjson");

        using var json = System.Text.Json.JsonDocument.Parse(secret.Data[".dockerconfigjson"]);
        var auth = json.RootElement.GetProperty("auths").GetProperty("registry.example.com:5443");
        Assert.Equal("deploy-bot", auth.GetProperty("username").GetString());
        Assert.Equal("s3cr:t", auth.GetProperty("password").GetString());
        Assert.Equal("deploy-bot:s3cr:t", Encoding.UTF8.GetString(Convert.FromBase64String(auth.GetProperty("auth").GetString()!)));
    }

    [Theory]
    [InlineData("127.0.0.1:5000/demo:git-1", "127.0.0.1:5000")]
    [InlineData("registry.example.com/team/app:1", "registry.example.com")]
    [InlineData("localhost/app", "localhost")]
    [InlineData("team/app:1", "https://index.docker.io/v1/")]
    [InlineData("nginx", "https://index.docker.io/v1/")]
    public void The_registry_of_an_image_is_read_as_Docker_reads_it(string image, string registry) =>
        Assert.Equal(registry, ImageReference.RegistryHost(image));

    [Theory]
    [InlineData(268435456L, "256Mi")]
    [InlineData(1073741824L, "1Gi")]
    [InlineData(1536L * 1024, "1536Ki")]
    [InlineData(5_000_001L, "5000001")]
    public void Memory_limits_are_written_in_the_largest_binary_unit(long bytes, string quantity) => Assert.Equal(quantity, AppManifests.Memory(bytes));

    [Theory]
    [InlineData(500, "500m")]
    [InlineData(1000, "1")]
    [InlineData(2500, "2500m")]
    public void CPU_limits_are_cores_or_millicores(int millis, string quantity) => Assert.Equal(quantity, AppManifests.Cpu(millis));

    public static string Render(AppObjects objects)
    {
        var text = new StringBuilder();
        foreach (var o in objects.All)
        {
            if (text.Length > 0) text.Append("---\n");
            text.Append(KubernetesYaml.Serialize(o).ReplaceLineEndings("\n"));
            if (text[^1] != '\n') text.Append('\n');
        }
        return text.ToString();
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>The golden input: a release as the controller hands it to the scheduler, with limits written as users write them.</summary>
internal sealed class GoldenInput
{
    public string App { get; set; } = "";
    public int Version { get; set; }
    public string Image { get; set; } = "";
    public Dictionary<string, string> Environment { get; set; } = [];
    public Dictionary<string, string>? Tags { get; set; }
    public Dictionary<string, string>? Registry { get; set; }
    public List<string>? Domains { get; set; }
    public List<string>? RoutedTypes { get; set; }
    public List<GoldenProcess> Processes { get; set; } = [];

    public static DeploymentSpec Read(string yaml)
    {
        var input = new DeserializerBuilder().WithNamingConvention(CamelCaseNamingConvention.Instance).Build().Deserialize<GoldenInput>(yaml);
        return new DeploymentSpec(input.App, input.Version, input.Image, input.Environment,
            input.Processes.Select(p => p.ToSpec()).ToList(), input.Tags,
            input.Registry is null ? null : RegistryCredentials.From(input.Registry), input.Domains, input.RoutedTypes);
    }
}

internal sealed class GoldenProcess
{
    public string Type { get; set; } = "";
    public string? Command { get; set; }
    public int Replicas { get; set; }
    public string? Memory { get; set; }
    public string? Cpu { get; set; }
    public int? TerminationGraceSeconds { get; set; }
    public GoldenProbe? Readiness { get; set; }
    public GoldenProbe? Liveness { get; set; }
    public GoldenAutoscale? Autoscale { get; set; }

    public ProcessSpec ToSpec()
    {
        var limits = Memory is null && Cpu is null ? null
            : new ResourceLimits(Memory is null ? null : Limits.MemoryBytes(Memory), Cpu is null ? null : Limits.CpuMillis(Cpu));
        var healthcheck = Readiness is null && Liveness is null ? null : new Healthcheck(Liveness?.ToProbe(), Readiness?.ToProbe());
        return new ProcessSpec(Type, Command, Replicas, limits, healthcheck, TerminationGraceSeconds,
            Autoscale is { } a ? new Autoscale(a.Min, a.Max, a.CpuPercent) : null);
    }
}

internal sealed class GoldenAutoscale
{
    public int Min { get; set; }
    public int Max { get; set; }
    public int CpuPercent { get; set; }
}

internal sealed class GoldenProbe
{
    public string Kind { get; set; } = "";
    public string? Path { get; set; }
    public int? Port { get; set; }
    public List<string>? Command { get; set; }
    public Dictionary<string, string>? Headers { get; set; }
    public int InitialDelaySeconds { get; set; }
    public int TimeoutSeconds { get; set; } = 1;
    public int PeriodSeconds { get; set; } = 10;
    public int SuccessThreshold { get; set; } = 1;
    public int FailureThreshold { get; set; } = 3;

    public Probe ToProbe() => new(Enum.Parse<ProbeKind>(Kind, ignoreCase: true), Path, Port, Command, Headers,
        InitialDelaySeconds, TimeoutSeconds, PeriodSeconds, SuccessThreshold, FailureThreshold);
}
