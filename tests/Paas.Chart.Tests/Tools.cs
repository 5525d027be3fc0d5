using Paas.Testing;

namespace Paas.Chart.Tests;

/// <summary>helm and kubectl, run as processes the way a user runs them.</summary>
public static class Tools
{
    /// <summary>PAAS_HELM, else ../shared/tools/helm (Helm 3.5.3), else helm on PATH; null when there is none.</summary>
    public static string? Helm { get; } = FindHelm();

    public static string? SkipReasonWithoutHelm =>
        Helm is null ? "no helm: set PAAS_HELM, or put Helm 3 at ../shared/tools/helm or on PATH" : null;

    /// <summary>The real deis CLI at ../shared/tools/deis (Hephy v2.23), or null.</summary>
    public static string? Deis { get; } =
        Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "tools", "deis")) is var deis && File.Exists(deis) ? deis : null;

    public static string SkipReasonWithoutDeis => "../shared/tools/deis is not on this machine";

    public static Task<CommandResult> HelmAsync(IEnumerable<string> args, string? kubeconfig = null, TimeSpan? timeout = null) =>
        Processes.RunAsync(Helm ?? "helm", args, RepoPaths.Root, Environment(kubeconfig), timeout ?? TimeSpan.FromMinutes(5));

    public static Task<CommandResult> KubectlAsync(string kubeconfig, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null) =>
        Processes.RunAsync("kubectl", args, RepoPaths.Root, Environment(kubeconfig), timeout ?? TimeSpan.FromMinutes(3), stdin);

    /// <summary>helm template of charts/paas with the given --set values; fails the test when it fails.</summary>
    public static async Task<string> TemplateAsync(string @namespace = "paas", params string[] sets)
    {
        var args = new List<string> { "template", "paas", "charts/paas", "-n", @namespace };
        foreach (var set in sets) args.AddRange(["--set", set]);
        return (await HelmAsync(args)).ShouldSucceed("helm template " + string.Join(' ', sets)).Stdout;
    }

    private static Dictionary<string, string?> Environment(string? kubeconfig) => new()
    {
        ["KUBECONFIG"] = kubeconfig,
        // helm keeps caches and repositories here; a test must not depend on the user's.
        ["HELM_CACHE_HOME"] = Path.Combine(Path.GetTempPath(), "paas-chart-tests-helm", "cache"),
        ["HELM_CONFIG_HOME"] = Path.Combine(Path.GetTempPath(), "paas-chart-tests-helm", "config"),
        ["HELM_DATA_HOME"] = Path.Combine(Path.GetTempPath(), "paas-chart-tests-helm", "data"),
    };

    private static string? FindHelm()
    {
        if (System.Environment.GetEnvironmentVariable("PAAS_HELM") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        var shared = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "tools", "helm"));
        if (File.Exists(shared)) return shared;
        return (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "helm")).FirstOrDefault(File.Exists);
    }
}
