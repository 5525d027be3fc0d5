using System.Diagnostics;
using System.Text.Json;
using Paas.Testing;
using Xunit.Abstractions;

namespace Paas.Chart.Tests;

/// <summary>
/// Issue 9 on the local cluster of ../shared/k8s: scripts/k8s-install puts the whole platform in the cluster with
/// the chart, and a user on this machine drives it through the printed NodePort URLs; then an upgrade under
/// traffic, pods deleted, helm test and uninstall. One journey, because installing is what takes time.
/// </summary>
[Collection(LocalCluster.Name)]
public sealed class InClusterPlatformTests(ITestOutputHelper output)
{
    private const string Namespace = "paas";
    private const string StorageClass = "paas-test-hostpath";
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly string root = Path.Combine(Path.GetTempPath(), "paas-chart-test-" + Guid.NewGuid().ToString("N")[..8]);
    private string kubeconfig = "";

    [SkippableFact]
    public async Task TheChartInstallsAPlatformThatBuildsAndServesAppsSurvivesUpgradesAndPodLossAndUninstallsCleanly()
    {
        var cluster = await KubernetesCluster.EnsureAsync();
        Skip.If(!cluster.Available, cluster.SkipReason);
        Skip.If(Tools.Helm is null, Tools.SkipReasonWithoutHelm);
        kubeconfig = cluster.Kubeconfig!;
        Directory.CreateDirectory(root);

        // The platform's images go to a registry of the test's own, kept in the image cache so that a second run
        // pushes nothing new; the cluster's nodes (this machine) pull from it on loopback.
        var registryDir = Path.Combine(Environment.GetEnvironmentVariable("PAAS_IMAGE_CACHE") is { Length: > 0 } cache
            ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "paas-images"), "test-registry");
        var registryPort = Processes.FreePort();
        var volumes = Path.Combine(root, "volumes");
        try
        {
            await RemoveLeftoversAsync();
            (await Processes.RunAsync(RepoPaths.Script("svc"), ["start", "registry", registryDir, $"{registryPort}"])).ShouldSucceed("svc start registry");
            // No provisioner in this cluster: hostPath PersistentVolumes, each bound ahead to the claim it is for.
            await ApplyAsync(PersistentVolume("postgres", Path.Combine(volumes, "postgres")) + "---\n" + PersistentVolume("registry", Path.Combine(volumes, "registry")));
            string[] values =
            [
                "--set", "postgres.persistence.enabled=true", "--set", $"postgres.persistence.storageClass={StorageClass}", "--set", "postgres.persistence.size=1Gi",
                "--set", "registry.persistence.enabled=true", "--set", $"registry.persistence.storageClass={StorageClass}", "--set", "registry.persistence.size=1Gi",
                "--set", "platform.appNamespaces.onUninstall=delete",
            ];

            Step("scripts/k8s-install");
            var urls = await InstallAsync(cluster, registryPort, values, imageTag: null);
            var router = new Uri(urls["PAAS_ROUTER"]);
            Assert.Equal("http://127.0.0.1:30800", urls["PAAS_URL"]);
            Assert.Equal("http://127.0.0.1:30801", urls["PAAS_BUILDER"]);

            Step("register (admin_only: only the first account registers itself)");
            var admin = new ClusterUser(root, "admin");
            (await admin.Paas("auth:register", urls["PAAS_URL"], "--username", "admin", "--password", "s3cret-pass", "--email", "admin@example.com"))
                .ShouldSucceed("auth:register of the first user");
            var stranger = new ClusterUser(root, "stranger");
            var refused = await stranger.Paas("auth:register", urls["PAAS_URL"], "--username", "stranger", "--password", "s3cret-pass", "--email", "s@example.com");
            Assert.True(refused.ExitCode != 0, "a stranger registered although registration is admin_only:\n" + refused);

            Step("apps:create and git push of a Dockerfile app, built in the cluster");
            var app = "ct-" + Guid.NewGuid().ToString("N")[..6];
            var source = await admin.NewAppAsync(app, "first version");
            (await admin.PaasIn(source, "apps:create", app)).ShouldSucceed("apps:create");
            var push = (await admin.Git(source, "push", "paas", "main")).ShouldSucceed("git push");
            Assert.Contains($"{app} v2 deployed", push.Output, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1:30500/" + app, push.Output, StringComparison.Ordinal); // pushed to the in-cluster registry
            await WaitForBodyAsync(router, $"{app}.localhost", "first version");

            Step("config:set, run with its exit code, ps:scale web=3, logs");
            (await admin.PaasIn(source, "config:set", "GREETING=hello-from-config")).ShouldSucceed("config:set");
            var oneOff = await admin.PaasIn(source, "run", "sh -c 'echo greeting=$GREETING; exit 3'");
            Assert.True(oneOff.ExitCode == 3, "run did not return the command's exit code 3:\n" + oneOff);
            Assert.Contains("greeting=hello-from-config", oneOff.Stdout, StringComparison.Ordinal);
            (await admin.PaasIn(source, "ps:scale", "web=3")).ShouldSucceed("ps:scale");
            await Eventually(async () => (await Kubectl("-n", app, "get", "deployment", $"{app}-web", "-o", "jsonpath={.status.readyReplicas}")).Stdout.Trim() == "3",
                "3 web processes ready", TimeSpan.FromMinutes(2));
            var ps = (await admin.PaasIn(source, "ps")).ShouldSucceed("ps");
            Assert.Equal(3, ps.Stdout.Split('\n').Count(l => l.StartsWith($"{app}-web-", StringComparison.Ordinal) && l.Contains(" up ", StringComparison.Ordinal)));
            var logs = (await admin.PaasIn(source, "logs")).ShouldSucceed("logs");
            Assert.Contains("serving on 5000", logs.Stdout, StringComparison.Ordinal);

            Step("the deis CLI against the in-cluster controller");
            if (Tools.Deis is { } deisBinary)
            {
                var deis = new ClusterUser(root, "deis-admin");
                (await deis.Deis(deisBinary, "login", urls["PAAS_URL"], "--username=admin", "--password=s3cret-pass")).ShouldSucceed("deis login");
                Assert.Contains(app, (await deis.Deis(deisBinary, "apps:list")).ShouldSucceed("deis apps:list").Stdout, StringComparison.Ordinal);
                Assert.Contains("hello-from-config", (await deis.Deis(deisBinary, "config:list", "-a", app)).ShouldSucceed("deis config:list").Stdout, StringComparison.Ordinal);
                Assert.Matches($@"{app}-web-\S+ up \(v\d+\)", (await deis.Deis(deisBinary, "ps:list", "-a", app)).ShouldSucceed("deis ps:list").Stdout);
                var deisRun = await deis.Deis(deisBinary, "run", "echo deis-run=$GREETING; exit 3", "-a", app);
                Assert.True(deisRun.ExitCode == 3, "deis run did not exit with the command's code 3:\n" + deisRun);
                Assert.Contains("deis-run=hello-from-config", deisRun.Output, StringComparison.Ordinal); // deis prints a failed command's output on stderr
            }
            else
            {
                output.WriteLine($"SKIPPED the deis CLI steps: {Tools.SkipReasonWithoutDeis}");
            }

            Step("git push of a buildpack app (no Dockerfile), built in the cluster on the stack image");
            var site = "ct-site-" + Guid.NewGuid().ToString("N")[..4];
            var siteSource = await admin.NewStaticSiteAsync(site, "a static site");
            (await admin.PaasIn(siteSource, "apps:create", site)).ShouldSucceed("apps:create of the buildpack app");
            var sitePush = (await admin.Git(siteSource, "push", "paas", "main")).ShouldSucceed("git push of the buildpack app");
            Assert.Contains("Static app detected", sitePush.Output, StringComparison.Ordinal);
            Assert.Contains($"{site} v2 deployed", sitePush.Output, StringComparison.Ordinal);
            await WaitForBodyAsync(router, $"{site}.localhost", "a static site");
            (await admin.PaasIn(siteSource, "apps:destroy", "--confirm", site)).ShouldSucceed("apps:destroy of the buildpack app");

            Step("domains:add, a second push, releases:rollback");
            (await admin.PaasIn(source, "domains:add", $"www.{app}.test")).ShouldSucceed("domains:add");
            await WaitForBodyAsync(router, $"www.{app}.test", "first version");
            await File.WriteAllTextAsync(Path.Combine(source, "index.html"), "second version\n");
            await admin.CommitAsync(source, "second version");
            (await admin.Git(source, "push", "paas", "main")).ShouldSucceed("second git push");
            await WaitForBodyAsync(router, $"{app}.localhost", "second version");
            (await admin.PaasIn(source, "releases:rollback")).ShouldSucceed("releases:rollback");
            await WaitForBodyAsync(router, $"{app}.localhost", "first version");
            var releasesBefore = (await admin.PaasIn(source, "releases")).ShouldSucceed("releases").Stdout;
            Assert.Contains("v5", releasesBefore, StringComparison.Ordinal); // create, push, config:set, push, rollback

            // An app that stays until uninstall, deployed from the first app's image (in the in-cluster registry).
            var keeper = "ct-keep-" + Guid.NewGuid().ToString("N")[..4];
            var image = JsonDocument.Parse((await admin.PaasIn(source, "builds", "--json")).ShouldSucceed("builds --json").Stdout)
                .RootElement.EnumerateArray().Last().GetProperty("image").GetString()!;
            (await admin.Paas("apps:create", keeper, "--no-remote")).ShouldSucceed("apps:create keeper");
            (await admin.Paas("builds:create", image, "-a", keeper)).ShouldSucceed("builds:create");
            await WaitForBodyAsync(router, $"{keeper}.localhost", "first version");

            Step("helm upgrade to a new image tag of every component while the app takes traffic");
            var tag = "upgrade-" + Guid.NewGuid().ToString("N")[..6];
            await using (var traffic = new TrafficProbe(router, $"{app}.localhost", "first version"))
            {
                await InstallAsync(cluster, registryPort, values, imageTag: tag);
                await Task.Delay(TimeSpan.FromSeconds(3)); // the old pods' last moments
                await traffic.DisposeAsync();
                output.WriteLine($"during the upgrade: {traffic.Succeeded} requests served, {traffic.Failures.Count} failed");
                Assert.True(traffic.Failures.Count == 0, "requests failed during the upgrade:\n" + string.Join('\n', traffic.Failures.Take(20)));
                Assert.True(traffic.Succeeded > 50, $"only {traffic.Succeeded} requests were made during the upgrade");
            }
            var images = (await Kubectl("-n", Namespace, "get", "deployments", "-o", "jsonpath={range .items[*]}{.spec.template.spec.containers[*].image}{'\\n'}{end}")).Stdout;
            Assert.All(images.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries), image => Assert.EndsWith(":" + tag, image, StringComparison.Ordinal));
            await PlatformDataIsIntactAsync(admin, source, app, keeper, releasesBefore, "GREETING");

            Step("deleting the controller pod loses nothing that was acknowledged");
            (await admin.PaasIn(source, "config:set", "ACKNOWLEDGED=yes")).ShouldSucceed("config:set before the controller pod goes");
            var releasesAcknowledged = (await admin.PaasIn(source, "releases")).ShouldSucceed("releases").Stdout;
            (await Kubectl("-n", Namespace, "delete", "pod", "-l", "app.kubernetes.io/component=controller", "--wait=true")).ShouldSucceed("delete the controller pod");
            (await Kubectl("-n", Namespace, "rollout", "status", "deployment/paas-controller", "--timeout=300s")).ShouldSucceed("controller back");
            await PlatformDataIsIntactAsync(admin, source, app, keeper, releasesAcknowledged, "ACKNOWLEDGED");

            Step("deleting the PostgreSQL pod (persistence on) loses nothing either");
            (await Kubectl("-n", Namespace, "delete", "pod", "-l", "app.kubernetes.io/component=postgres", "--wait=true")).ShouldSucceed("delete the postgres pod");
            (await Kubectl("-n", Namespace, "rollout", "status", "deployment/paas-postgres", "--timeout=300s")).ShouldSucceed("postgres back");
            await PlatformDataIsIntactAsync(admin, source, app, keeper, releasesAcknowledged, "ACKNOWLEDGED");
            await WaitForBodyAsync(router, $"{app}.localhost", "first version");

            Step("helm test");
            var helmTest = (await Tools.HelmAsync(["test", "paas", "-n", Namespace, "--logs", "--timeout", "300s"], kubeconfig, TimeSpan.FromMinutes(6)))
                .ShouldSucceed("helm test paas");
            Assert.Contains("the platform is healthy", helmTest.Output, StringComparison.Ordinal);

            Step("apps:destroy");
            (await admin.PaasIn(source, "apps:destroy", "--confirm", app)).ShouldSucceed("apps:destroy");
            await Eventually(async () => (await Kubectl("get", "namespace", app)).ExitCode != 0, $"namespace {app} deleted", TimeSpan.FromMinutes(3));
            await Eventually(async () => (await GetAsync(router, $"{app}.localhost")).Status == 404, "the router forgets the app", TimeSpan.FromSeconds(30));

            Step("scripts/k8s-uninstall (platform.appNamespaces.onUninstall=delete)");
            (await Uninstall()).ShouldSucceed("k8s-uninstall --purge");
            Assert.DoesNotContain("paas", (await Tools.HelmAsync(["list", "-n", Namespace, "-q"], kubeconfig)).Stdout, StringComparison.Ordinal);
            Assert.NotEqual(0, (await Kubectl("get", "namespace", Namespace)).ExitCode);
            Assert.NotEqual(0, (await Kubectl("get", "clusterrole", "paas-paas-controller")).ExitCode);
            Assert.NotEqual(0, (await Kubectl("get", "clusterrolebinding", "paas-paas-controller")).ExitCode);
            Assert.NotEqual(0, (await Kubectl("get", "namespace", keeper)).ExitCode);
            Step("done");
        }
        finally
        {
            if (Environment.GetEnvironmentVariable("PAAS_TEST_KEEP_CHART") != "1")
            {
                await Uninstall();
                await Kubectl("delete", "pv", "-l", "paas-test=chart", "--wait=false");
                await Processes.RunAsync(RepoPaths.Script("svc"), ["stop", "registry", registryDir]);
                try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            }
        }
    }

    /// <summary>Runs scripts/k8s-install as a user would and returns its PAAS_* lines.</summary>
    private async Task<Dictionary<string, string>> InstallAsync(KubernetesCluster cluster, int registryPort, string[] values, string? imageTag)
    {
        var result = await Processes.RunAsync(RepoPaths.Script("k8s-install"), values, RepoPaths.Root, new Dictionary<string, string?>
        {
            ["KUBECONFIG"] = kubeconfig,
            // The cluster's own engine builds: the images are then on its node already.
            ["DOCKER_HOST"] = cluster.DockerHost,
            ["PAAS_IMAGE_REGISTRY"] = $"127.0.0.1:{registryPort}",
            ["PAAS_IMAGE_TAG"] = imageTag,
            ["PAAS_HELM"] = Tools.Helm,
            ["PAAS_INSTALL_TIMEOUT"] = "900",
        }, TimeSpan.FromMinutes(45));
        output.WriteLine(string.Join('\n', result.Stderr.Split('\n').Where(l => l.StartsWith("k8s-install:", StringComparison.Ordinal) || l.StartsWith("images:", StringComparison.Ordinal))));
        result.ShouldSucceed("scripts/k8s-install");
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 3, "k8s-install printed less than three lines:\n" + result);
        var last = lines[^3..];
        Assert.StartsWith("PAAS_URL=http://", last[0], StringComparison.Ordinal);
        Assert.StartsWith("PAAS_ROUTER=http://", last[1], StringComparison.Ordinal);
        Assert.StartsWith("PAAS_BUILDER=", last[2], StringComparison.Ordinal);
        return last.ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
    }

    /// <summary>The user's session, their apps, the app's releases and config are what they were.</summary>
    private static async Task PlatformDataIsIntactAsync(ClusterUser admin, string source, string app, string keeper, string releases, string configKey)
    {
        // The controller may still be reconnecting to its database: a minute to answer at all.
        await Eventually(async () => (await admin.Paas("auth:whoami")).ExitCode == 0, "the controller answers whoami", TimeSpan.FromMinutes(2));
        Assert.Contains("admin", (await admin.Paas("auth:whoami")).ShouldSucceed("whoami").Stdout, StringComparison.Ordinal);
        var apps = (await admin.Paas("apps")).ShouldSucceed("apps").Stdout;
        Assert.Contains(app, apps, StringComparison.Ordinal);
        Assert.Contains(keeper, apps, StringComparison.Ordinal);
        Assert.Equal(Versions(releases), Versions((await admin.PaasIn(source, "releases")).ShouldSucceed("releases").Stdout));
        Assert.Contains(configKey, (await admin.PaasIn(source, "config")).ShouldSucceed("config").Stdout, StringComparison.Ordinal);

        static string Versions(string listing) => string.Join(',', listing.Split('\n').Where(l => l.StartsWith('v')).Select(l => l.Split(' ')[0]));
    }

    private static async Task WaitForBodyAsync(Uri router, string host, string expected) =>
        await Eventually(async () => (await GetAsync(router, host)).Body == expected, $"{host} answers '{expected}'", TimeSpan.FromSeconds(90));

    private static async Task<(int Status, string Body)> GetAsync(Uri router, string host)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, router);
        request.Headers.Host = host;
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode, (await response.Content.ReadAsStringAsync()).Trim());
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
        catch (TaskCanceledException e)
        {
            return (0, e.Message);
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"not within {within.TotalSeconds:0}s: {what}");
            await Task.Delay(500);
        }
    }

    private void Step(string what) => output.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] {what}");

    private Task<CommandResult> Kubectl(params string[] args) => Tools.KubectlAsync(kubeconfig, args);

    private async Task ApplyAsync(string yaml) =>
        (await Tools.KubectlAsync(kubeconfig, ["apply", "-f", "-"], yaml)).ShouldSucceed("kubectl apply");

    private Task<CommandResult> Uninstall() =>
        Processes.RunAsync(RepoPaths.Script("k8s-uninstall"), ["--purge"], RepoPaths.Root,
            new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig, ["PAAS_HELM"] = Tools.Helm }, TimeSpan.FromMinutes(10));

    /// <summary>An earlier run that was stopped half-way leaves its release and volumes: remove them first.</summary>
    private async Task RemoveLeftoversAsync()
    {
        if ((await Tools.HelmAsync(["status", "paas", "-n", Namespace], kubeconfig)).ExitCode == 0 || (await Kubectl("get", "namespace", Namespace)).ExitCode == 0)
        {
            Step("removing an earlier installation");
            (await Uninstall()).ShouldSucceed("k8s-uninstall of an earlier installation");
        }
        await Kubectl("delete", "pv", "-l", "paas-test=chart", "--wait=true", "--timeout=60s");
    }

    private static string PersistentVolume(string component, string path) => $$"""
        apiVersion: v1
        kind: PersistentVolume
        metadata:
          name: paas-test-{{component}}
          labels: {paas-test: chart}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          persistentVolumeReclaimPolicy: Retain
          storageClassName: {{StorageClass}}
          claimRef: {namespace: {{Namespace}}, name: paas-{{component}}-data}
          hostPath: {path: {{path}}, type: DirectoryOrCreate}

        """;
}
