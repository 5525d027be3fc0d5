using Paas.Testing;

namespace Paas.Chart.Tests;

/// <summary>The rendered chart against a real API server: every object valid for Kubernetes 1.20 (the local cluster).</summary>
[Collection(LocalCluster.Name)]
public sealed class ServerDryRunTests
{
    public static TheoryData<string, string[]> Variants => new()
    {
        { "the defaults", [] },
        {
            "every optional part on", [
                "postgres.persistence.enabled=true", "rabbitmq.persistence.enabled=true", "registry.persistence.enabled=true",
                "builder.persistence.enabled=true", "platform.appNamespaces.onUninstall=delete", "router.service.type=LoadBalancer",
                "controller.ingress.enabled=true", "controller.ingress.host=paas.example.com", "controller.ingress.tlsSecretName=paas-tls",
                "builder.ingress.enabled=true", "builder.ingress.host=git.example.com", "builder.dind.privileged=false",
            ]
        },
        {
            "external services and the node's engine", [
                "postgres.enabled=false", "postgres.external.connectionString=Host=db;Database=paas;Username=paas;Password=x",
                "rabbitmq.enabled=false", "rabbitmq.external.url=amqp://u:p@mq:5672/", "registry.enabled=false",
                "registry.external.address=registry.example.com/paas", "builder.docker.mode=node",
            ]
        },
    };

    [SkippableTheory]
    [MemberData(nameof(Variants))]
    public async Task TheApiServerAcceptsEveryObject(string variant, string[] sets)
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var cluster = await KubernetesCluster.EnsureAsync();
        Skip.If(!cluster.Available, cluster.SkipReason);

        // The namespace "default" always exists; a dry run creates nothing in it. It does allocate node ports, so
        // the fixed ones an installed platform holds are left for the API server to choose.
        var rendered = await Tools.TemplateAsync("default", [.. sets, "controller.service.nodePort=", "builder.service.nodePort=",
            "router.service.nodePorts.http=", "router.service.nodePorts.https=", $"registry.nodePort={Random.Shared.Next(31000, 32700)}"]);
        var result = await Tools.KubectlAsync(cluster.Kubeconfig!, ["apply", "--dry-run=server", "-n", "default", "-f", "-"], rendered);
        Assert.True(result.ExitCode == 0, $"{variant}: the API server refused the chart:\n{result}");
        Assert.Contains("deployment.apps/paas-controller created (server dry run)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("clusterrole.rbac.authorization.k8s.io/default-paas-controller created (server dry run)", result.Stdout, StringComparison.Ordinal);
    }
}
