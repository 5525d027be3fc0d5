using static Paas.Chart.Tests.Manifests;

namespace Paas.Chart.Tests;

/// <summary>helm lint and helm template of charts/paas: what the chart renders for the values users set.</summary>
public sealed class HelmTemplateTests
{
    [SkippableFact]
    public async Task HelmLintPassesWithTheDefaultsAndWithEveryOptionalPartOn()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        (await Tools.HelmAsync(["lint", "--strict", "charts/paas"])).ShouldSucceed("helm lint --strict");
        (await Tools.HelmAsync(["lint", "--strict", "charts/paas",
            "--set", "postgres.persistence.enabled=true", "--set", "rabbitmq.persistence.enabled=true",
            "--set", "registry.persistence.enabled=true", "--set", "builder.persistence.enabled=true",
            "--set", "controller.ingress.enabled=true", "--set", "controller.ingress.host=paas.example.com",
            "--set", "controller.ingress.tlsSecretName=paas-tls", "--set", "builder.ingress.enabled=true",
            "--set", "builder.ingress.host=git.example.com", "--set", "platform.appNamespaces.onUninstall=delete",
            "--set", "router.service.type=LoadBalancer"])).ShouldSucceed("helm lint --strict with every optional part");
    }

    [SkippableFact]
    public async Task EveryComponentRunsWithHealthProbesAndResources()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var chart = new Manifests(await Tools.TemplateAsync());
        foreach (var (component, port, readiness) in new[] { ("controller", 8000, "/healthz"), ("builder", 8001, "/healthz"), ("router", 8080, "/readyz") })
        {
            var container = Container(chart.Get("Deployment", $"paas-{component}"), component);
            Assert.Equal(readiness, Str(container, "readinessProbe.httpGet.path"));
            Assert.Equal("/healthz", Str(container, "livenessProbe.httpGet.path"));
            Assert.Equal("http", Str(container, "readinessProbe.httpGet.port"));
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Str(Items(container, "ports").Single(p => Str(p, "name") == "http"), "containerPort"));
            Assert.NotNull(Str(container, "resources.requests.memory"));
            Assert.NotNull(Str(container, "resources.limits.memory"));
            Assert.StartsWith($"127.0.0.1:5000/paas/{component}:", Str(container, "image"), StringComparison.Ordinal);
        }
        foreach (var service in new[] { "registry", "postgres", "rabbitmq" })
        {
            var deployment = chart.Get("Deployment", $"paas-{service}");
            Assert.NotNull(At(Container(deployment, service), "readinessProbe"));
            Assert.Equal("Recreate", Str(deployment, "spec.strategy.type"));
        }
        Assert.Equal("0", Str(chart.Get("Deployment", "paas-router"), "spec.strategy.rollingUpdate.maxUnavailable"));
    }

    [SkippableFact]
    public async Task TheControllerGetsTheIssuesSettingsAndOnlyTheRightsItsSchedulerUses()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var chart = new Manifests(await Tools.TemplateAsync());
        var controller = chart.Get("Deployment", "paas-controller");
        var env = Env(Container(controller, "controller"));
        Assert.Equal("admin_only", env["PAAS_REGISTRATION_MODE"]);
        Assert.Equal("kubernetes", env["PAAS_SCHEDULER"]);
        Assert.Equal("localhost", env["PAAS_DOMAIN"]);
        Assert.Equal("http://127.0.0.1:30801", env["PAAS_BUILDER_URL"]);
        Assert.Equal("30080", env["PAAS_ROUTER_PORT"]);
        Assert.Equal("paas-paas", env["PAAS_K8S_PLATFORM"]); // <namespace>-<release>: its own apps only, on a shared cluster
        Assert.Equal("secret:paas-secrets/database-url", env["PAAS_DATABASE"]);
        Assert.Equal("secret:paas-secrets/rabbitmq-url", env["PAAS_RABBITMQ"]);
        Assert.Equal("secret:paas-secrets/service-token", env["PAAS_SERVICE_TOKEN"]);
        Assert.Equal("paas-controller", Str(controller, "spec.template.spec.serviceAccountName"));

        var role = chart.Get("ClusterRole", "paas-paas-controller");
        var rules = Items(role, "rules").SelectMany(rule =>
            ((YamlDotNet.RepresentationModel.YamlSequenceNode)At(rule, "resources")!).Children.Select(r => (
                Group: ((YamlDotNet.RepresentationModel.YamlSequenceNode)At(rule, "apiGroups")!).Children[0].ToString(),
                Resource: r.ToString(),
                Verbs: ((YamlDotNet.RepresentationModel.YamlSequenceNode)At(rule, "verbs")!).Children.Select(v => v.ToString()).ToHashSet()))).ToList();
        foreach (var (group, resource) in new[] { ("", "namespaces"), ("apps", "deployments"), ("", "secrets"), ("", "services"),
                     ("", "pods"), ("", "pods/log"), ("autoscaling", "horizontalpodautoscalers") })
            Assert.Contains(rules, r => r.Group == group && r.Resource == resource);
        Assert.DoesNotContain(rules, r => r.Resource == "*" || r.Verbs.Contains("*"));
        Assert.Equal(["get"], rules.Single(r => r.Resource == "pods/log").Verbs);
        Assert.DoesNotContain(rules, r => r.Resource is "clusterroles" or "nodes" or "persistentvolumes" or "configmaps");
        var binding = chart.Get("ClusterRoleBinding", "paas-paas-controller");
        Assert.Equal("paas-controller", Str(Items(binding, "subjects").Single(), "name"));
        Assert.Equal("paas", Str(Items(binding, "subjects").Single(), "namespace"));

        // The builder and the router call no Kubernetes API: no token in their pods.
        foreach (var component in new[] { "builder", "router" })
            Assert.Equal("false", Str(chart.Get("Deployment", $"paas-{component}"), "spec.template.spec.automountServiceAccountToken"));
    }

    [SkippableFact]
    public async Task TheRoutersServiceIsANodePortOrALoadBalancer()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var nodePort = new Manifests(await Tools.TemplateAsync()).Get("Service", "paas-router");
        Assert.Equal("NodePort", Str(nodePort, "spec.type"));
        Assert.Equal(["30080", "30443"], Items(nodePort, "spec.ports").Select(p => Str(p, "nodePort")!));

        var chart = new Manifests(await Tools.TemplateAsync("paas", "router.service.type=LoadBalancer", "platform.domain=apps.example.com"));
        var lb = chart.Get("Service", "paas-router");
        Assert.Equal("LoadBalancer", Str(lb, "spec.type"));
        Assert.All(Items(lb, "spec.ports"), p => Assert.Null(Str(p, "nodePort")));
        Assert.Equal(["80", "443"], Items(lb, "spec.ports").Select(p => Str(p, "port")!));
        Assert.Equal("80", Env(Container(chart.Get("Deployment", "paas-controller"), "controller"))["PAAS_ROUTER_PORT"]);

        var bad = await Tools.HelmAsync(["template", "paas", "charts/paas", "--set", "router.service.type=ExternalName"]);
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("router.service.type must be NodePort, LoadBalancer or ClusterIP", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PostgresRabbitmqAndTheRegistryAreEachReplaceableByAnExternalOne()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var chart = new Manifests(await Tools.TemplateAsync("paas",
            "postgres.enabled=false", "postgres.external.existingSecret=my-db", "postgres.external.existingSecretKey=url",
            "rabbitmq.enabled=false", "rabbitmq.external.url=amqps://u:p@mq.example.com:5671/",
            "registry.enabled=false", "registry.external.address=registry.example.com/paas"));
        foreach (var gone in new[] { "postgres", "rabbitmq", "registry" })
        {
            Assert.False(chart.Has("Deployment", $"paas-{gone}"), $"paas-{gone} is still installed");
            Assert.False(chart.Has("Service", $"paas-{gone}"));
        }
        var controller = Env(Container(chart.Get("Deployment", "paas-controller"), "controller"));
        Assert.Equal("secret:my-db/url", controller["PAAS_DATABASE"]);
        Assert.Equal("secret:paas-secrets/rabbitmq-url", controller["PAAS_RABBITMQ"]);
        Assert.Equal("amqps://u:p@mq.example.com:5671/", Str(chart.Get("Secret", "paas-secrets"), "stringData.rabbitmq-url"));
        var builder = chart.Get("Deployment", "paas-builder");
        Assert.Equal("registry.example.com/paas", Env(Container(builder, "builder"))["PAAS_REGISTRY"]);
        Assert.Equal("registry.example.com/paas/paas/stack:bookworm", Env(Container(builder, "builder"))["PAAS_STACK_IMAGE"]);
        Assert.DoesNotContain(Items(builder, "spec.template.spec.containers"), c => Str(c, "name") == "registry-relay");
        // Nothing waits for services the chart does not run.
        Assert.Empty(Items(chart.Get("Deployment", "paas-controller"), "spec.template.spec.initContainers"));

        var missing = await Tools.HelmAsync(["template", "paas", "charts/paas", "--set", "postgres.enabled=false"]);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("set postgres.external.connectionString or postgres.external.existingSecret", missing.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task PersistenceIsSwitchableAndKeepsTheDatabaseOnUninstall()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var off = new Manifests(await Tools.TemplateAsync());
        Assert.Empty(off.OfKind("PersistentVolumeClaim"));
        Assert.NotNull(At(Items(off.Get("Deployment", "paas-postgres"), "spec.template.spec.volumes").Single(), "emptyDir"));

        var on = new Manifests(await Tools.TemplateAsync("paas", "postgres.persistence.enabled=true", "postgres.persistence.storageClass=-",
            "registry.persistence.enabled=true", "registry.persistence.storageClass=fast"));
        var claim = on.Get("PersistentVolumeClaim", "paas-postgres-data");
        Assert.Equal("", Str(claim, "spec.storageClassName"));
        Assert.Equal("keep", Annotation(claim, "helm.sh/resource-policy"));
        Assert.Equal("fast", Str(on.Get("PersistentVolumeClaim", "paas-registry-data"), "spec.storageClassName"));
        Assert.Equal("paas-postgres-data", Str(Items(on.Get("Deployment", "paas-postgres"), "spec.template.spec.volumes").Single(), "persistentVolumeClaim.claimName"));
    }

    [SkippableFact]
    public async Task WhatUninstallDoesWithTheAppsNamespacesIsAValue()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        Assert.Empty(new Manifests(await Tools.TemplateAsync()).OfKind("Job"));

        var job = new Manifests(await Tools.TemplateAsync("paas", "platform.appNamespaces.onUninstall=delete")).Get("Job", "paas-delete-app-namespaces");
        Assert.Equal("pre-delete", Annotation(job, "helm.sh/hook"));
        Assert.Equal("paas-controller", Str(job, "spec.template.spec.serviceAccountName"));
        var env = Env(Container(job, "delete-app-namespaces"));
        Assert.Equal("app.kubernetes.io/managed-by=paas,paas/platform=paas-paas", env["APP_NAMESPACE_SELECTOR"]);
        Assert.Equal("paas", env["PLATFORM_NAMESPACE"]);

        var bad = await Tools.HelmAsync(["template", "paas", "charts/paas", "--set", "platform.appNamespaces.onUninstall=orphan"]);
        Assert.Contains("platform.appNamespaces.onUninstall must be keep or delete", bad.Stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheBuilderBuildsThroughADockerInDockerSidecarOrTheNodesEngine()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var dind = new Manifests(await Tools.TemplateAsync()).Get("Deployment", "paas-builder");
        Assert.Equal("tcp://127.0.0.1:2375", Env(Container(dind, "builder"))["DOCKER_HOST"]);
        Assert.Equal("127.0.0.1:30500", Env(Container(dind, "builder"))["PAAS_REGISTRY"]);
        // The stack of buildpack apps: pulled by the builder's engine from where scripts/k8s-install pushes it, or named.
        Assert.Equal("127.0.0.1:30500/paas/stack:bookworm", Env(Container(dind, "builder"))["PAAS_STACK_IMAGE"]);
        var named = new Manifests(await Tools.TemplateAsync("paas", "builder.stackImage=registry.example.com/stacks/bookworm:3")).Get("Deployment", "paas-builder");
        Assert.Equal("registry.example.com/stacks/bookworm:3", Env(Container(named, "builder"))["PAAS_STACK_IMAGE"]);
        Assert.Equal("true", Str(Container(dind, "dind"), "securityContext.privileged"));
        Assert.Contains("TCP-LISTEN:30500,bind=127.0.0.1,fork,reuseaddr", At(Container(dind, "registry-relay"), "command")!.ToString(), StringComparison.Ordinal);

        var capabilities = new Manifests(await Tools.TemplateAsync("paas", "builder.dind.privileged=false")).Get("Deployment", "paas-builder");
        var security = Container(capabilities, "dind");
        Assert.Equal("false", Str(security, "securityContext.privileged"));
        var added = ((YamlDotNet.RepresentationModel.YamlSequenceNode)At(security, "securityContext.capabilities.add")!).Children.Select(c => c.ToString()).ToList();
        Assert.Contains("SYS_ADMIN", added);
        Assert.DoesNotContain("SYS_RESOURCE", added);

        var node = new Manifests(await Tools.TemplateAsync("paas", "builder.docker.mode=node")).Get("Deployment", "paas-builder");
        Assert.Equal(["builder"], Items(node, "spec.template.spec.containers").Select(c => Str(c, "name")!));
        Assert.Equal("/var/run/docker.sock", Str(Items(node, "spec.template.spec.volumes").Single(v => Str(v, "name") == "node-docker"), "hostPath.path"));
    }

    [SkippableFact]
    public async Task HelmTestChecksThePlatformFromInsideTheCluster()
    {
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        var test = new Manifests(await Tools.TemplateAsync()).Get("Pod", "paas-test");
        Assert.Equal("test", Annotation(test, "helm.sh/hook"));
        var env = Env(Items(test, "spec.containers").Single());
        Assert.Equal("http://paas-controller:8000", env["PAAS_CONTROLLER_URL"]);
        Assert.Equal("http://paas-router:80", env["PAAS_ROUTER_URL"]);
        Assert.Equal("http://paas-builder:8001", env["PAAS_BUILDER_URL"]);
        Assert.Equal("http://paas-registry:5000", env["PAAS_REGISTRY_URL"]);
    }
}
