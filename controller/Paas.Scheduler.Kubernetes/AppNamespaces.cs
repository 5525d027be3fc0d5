using System.Diagnostics;
using k8s;
using k8s.Models;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// One namespace per app, named after it and labelled as Paas's. A namespace Paas did not make is never
/// taken over nor deleted, whatever its name.
/// </summary>
internal sealed class AppNamespaces(KubernetesApi api, string platform)
{
    /// <summary>How long a deploy waits for the namespace of a destroyed app of the same name to go away.</summary>
    private static readonly TimeSpan TerminationWait = TimeSpan.FromMinutes(2);

    public Task<V1Namespace?> ReadAsync(string app, CancellationToken ct) =>
        api.ReadAsync($"read Namespace {Names.Namespace(app)}", ct, () => api.Client.CoreV1.ReadNamespaceAsync(Names.Namespace(app), cancellationToken: ct));

    private bool IsOurs(V1Namespace ns, string app) =>
        Names.Label(ns.Metadata.Labels, Names.ManagedByLabel) == Names.Heritage && Names.Label(ns.Metadata.Labels, Names.AppLabel) == app
        && (Names.Label(ns.Metadata.Labels, Names.PlatformLabel) ?? Names.DefaultPlatform) == platform;

    /// <summary>Makes sure the app's namespace exists and is Paas's, waiting for a terminating one to be gone first.</summary>
    public async Task EnsureAsync(string app, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var existing = await ReadAsync(app, ct);
        while (existing?.Status?.Phase == "Terminating")
        {
            if (Stopwatch.GetElapsedTime(started) > TerminationWait)
                throw new DeploymentFailedException(
                    $"Namespace {Names.Namespace(app)}, of an earlier app of this name, is still being deleted after {TerminationWait.TotalMinutes:0} minutes; " +
                    $"try again later (kubectl get namespace {Names.Namespace(app)} shows what holds it).");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
            existing = await ReadAsync(app, ct);
        }
        if (existing is not null && !IsOurs(existing, app))
            throw new DeploymentFailedException(
                Names.Label(existing.Metadata.Labels, Names.ManagedByLabel) == Names.Heritage
                    ? $"Namespace {Names.Namespace(app)} belongs to another Paas platform on this cluster " +
                      $"({Names.PlatformLabel}={Names.Label(existing.Metadata.Labels, Names.PlatformLabel) ?? Names.DefaultPlatform}), so this one will not run {app} in it. Rename the app."
                    : $"Namespace {Names.Namespace(app)} exists in the cluster and Paas did not create it, so Paas will not run {app} in it. " +
                      "Rename the app, or have the cluster's operator remove or relabel the namespace.");
        if (existing is null) await api.ApplyAsync(AppManifests.Namespace(app, platform), ct);
    }

    /// <summary>The apps that have a namespace (also apps whose processes are all scaled to zero).</summary>
    public async Task<IReadOnlyList<string>> AppsAsync(CancellationToken ct)
    {
        var list = await api.CallAsync("list the namespaces of Paas apps", ct,
            () => api.Client.CoreV1.ListNamespaceAsync(labelSelector: $"{Names.ManagedByLabel}={Names.Heritage},{Names.PlatformLabel}={platform}",
                cancellationToken: ct));
        return list.Items.Where(n => n.Status?.Phase != "Terminating")
            .Select(n => Names.Label(n.Metadata.Labels, Names.AppLabel)).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes the namespace and so everything in it; Kubernetes finishes that in the background.</summary>
    public async Task<bool> DeleteAsync(string app, CancellationToken ct)
    {
        var existing = await ReadAsync(app, ct);
        if (existing is null || existing.Status?.Phase == "Terminating") return false;
        if (!IsOurs(existing, app)) return false;
        await api.DeleteAsync(V1Namespace.KubeKind, null, Names.Namespace(app), ct);
        return true;
    }
}
