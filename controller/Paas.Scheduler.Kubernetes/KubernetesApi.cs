using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Paas.Domain.Scheduling;

namespace Paas.Scheduler.Kubernetes;

/// <summary>
/// The Kubernetes calls the scheduler makes, with server-side apply under one field manager, and API errors
/// turned into messages that say what was asked and what answered. Deleting what is already gone is no error.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The call, a multi-line lambda, reads best last.")]
internal sealed class KubernetesApi(IKubernetes client, TimeSpan callTimeout)
{
    public IKubernetes Client => client;

    /// <summary>
    /// Server-side apply as field manager "paas", forcing: Paas owns what it declares, and a field someone
    /// changed by hand (kubectl scale) goes back to what Paas declares. Returns the object as stored.
    /// </summary>
    public Task<IKubernetesObject<V1ObjectMeta>> ApplyAsync(IKubernetesObject<V1ObjectMeta> manifest, CancellationToken ct,
        string fieldManager = Names.FieldManager)
    {
        var patch = new V1Patch(manifest, V1Patch.PatchType.ApplyPatch);
        var name = manifest.Metadata.Name;
        var ns = manifest.Metadata.NamespaceProperty;
        return CallAsync<IKubernetesObject<V1ObjectMeta>>($"apply {Describe(manifest.Kind, ns, name)}", ct, async () => manifest switch
        {
            V1Namespace => await client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: fieldManager, force: true, cancellationToken: ct),
            V1Secret => await client.CoreV1.PatchNamespacedSecretAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: ct),
            V1Service => await client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: ct),
            V1Deployment => await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: fieldManager, force: true, cancellationToken: ct),
            V1HorizontalPodAutoscaler => await client.AutoscalingV1.PatchNamespacedHorizontalPodAutoscalerAsync(patch, name, ns,
                fieldManager: fieldManager, force: true, cancellationToken: ct),
            _ => throw new ArgumentException($"Paas does not apply {manifest.Kind} objects.", nameof(manifest)),
        });
    }

    /// <summary>Deletes an object; one that is already gone counts as deleted.</summary>
    public async Task DeleteAsync(string kind, string? ns, string name, CancellationToken ct, int? gracePeriodSeconds = null)
    {
        try
        {
            await CallAsync<object?>($"delete {Describe(kind, ns, name)}", ct, async () => kind switch
            {
                V1Namespace.KubeKind => await client.CoreV1.DeleteNamespaceAsync(name, propagationPolicy: "Background", cancellationToken: ct),
                V1Secret.KubeKind => await client.CoreV1.DeleteNamespacedSecretAsync(name, ns, cancellationToken: ct),
                V1Service.KubeKind => await DeleteServiceAsync(name, ns!, ct),
                V1Pod.KubeKind => await client.CoreV1.DeleteNamespacedPodAsync(name, ns, gracePeriodSeconds: gracePeriodSeconds, cancellationToken: ct),
                V1Deployment.KubeKind => await client.AppsV1.DeleteNamespacedDeploymentAsync(name, ns, propagationPolicy: "Background", cancellationToken: ct),
                V1HorizontalPodAutoscaler.KubeKind => await client.AutoscalingV1.DeleteNamespacedHorizontalPodAutoscalerAsync(name, ns, cancellationToken: ct),
                _ => throw new ArgumentException($"Paas does not delete {kind} objects.", nameof(kind)),
            }, notFoundIsNull: true);
        }
        catch (KubernetesApiException e) when (e.Status == HttpStatusCode.Conflict)
        {
            // already being deleted by someone else (a retirement and a destroy at once)
        }
    }

    /// <summary>
    /// Kubernetes before 1.21 answers a Service's deletion with a Status object, which the client reads as the Service
    /// it expects and fails on ("status": "Success" is no ServiceStatus). The answer was a success: the Service is gone.
    /// </summary>
    private async Task<object?> DeleteServiceAsync(string name, string ns, CancellationToken ct)
    {
        try
        {
            return await client.CoreV1.DeleteNamespacedServiceAsync(name, ns, cancellationToken: ct);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads one object; null when it does not exist.</summary>
    public Task<T?> ReadAsync<T>(string what, CancellationToken ct, Func<Task<T>> read) where T : class =>
        CallAsync(what, ct, async () => (T?)await read(), notFoundIsNull: true);

    /// <summary>Any other call, with errors translated.</summary>
    public Task<T> CallAsync<T>(string what, CancellationToken ct, Func<Task<T>> call) => CallAsync(what, ct, call, notFoundIsNull: false);

    private async Task<T> CallAsync<T>(string what, CancellationToken ct, Func<Task<T>> call, bool notFoundIsNull)
    {
        try
        {
            return await call();
        }
        catch (HttpOperationException e) when (notFoundIsNull && e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return default!;
        }
        catch (HttpOperationException e)
        {
            throw Refused(what, e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            // The client cancels a call after its own timeout (KubernetesClientConfiguration.HttpClientTimeout).
            throw new KubernetesApiException(null,
                $"The Kubernetes API at {client.BaseUri} did not answer within {callTimeout.TotalSeconds:0.#} s when asked to {what}.", e);
        }
        catch (HttpRequestException e)
        {
            throw new KubernetesApiException(null, $"Could not reach the Kubernetes API at {client.BaseUri} to {what}: {e.Message}", e);
        }
    }

    private static KubernetesApiException Refused(string what, HttpOperationException e)
    {
        var status = e.Response.StatusCode;
        var reason = StatusMessage(e.Response.Content) ?? $"HTTP {(int)status} {status}";
        var message = status switch
        {
            HttpStatusCode.Forbidden when reason.Contains("being terminated", StringComparison.Ordinal) =>
                $"Kubernetes refused to {what}: {reason}",
            HttpStatusCode.Forbidden =>
                $"Kubernetes refused to let the controller {what} (403 Forbidden): {reason}. " +
                "The controller's Kubernetes account needs that permission (the chart's RBAC rules list what it uses).",
            HttpStatusCode.Unauthorized =>
                $"Kubernetes did not accept the controller's credentials when asked to {what} (401): {reason}. Check KUBECONFIG or the service account token.",
            HttpStatusCode.Conflict => $"Kubernetes reported a conflict when asked to {what} (409): {reason}",
            HttpStatusCode.UnprocessableEntity => $"Kubernetes found the request to {what} invalid (422): {reason}",
            HttpStatusCode.NotFound => $"Kubernetes did not find what it was asked to {what} (404): {reason}",
            _ => $"Kubernetes failed to {what} (HTTP {(int)status}): {reason}",
        };
        return new KubernetesApiException(status, message, e);
    }

    /// <summary>The message of the Status object Kubernetes answers errors with, if the body is one.</summary>
    private static string? StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("message", out var message)
                ? message.GetString()
                : body.Trim();
        }
        catch (JsonException)
        {
            return body.Trim();
        }
    }

    public static string Describe(string kind, string? ns, string name) => ns is null ? $"{kind} {name}" : $"{kind} {ns}/{name}";
}

/// <summary>A Kubernetes API call that failed; <see cref="Status"/> is null when no answer came.</summary>
public sealed class KubernetesApiException(HttpStatusCode? status, string message, Exception inner)
    : Exception(message, inner)
{
    public HttpStatusCode? Status { get; } = status;

    public SchedulerUnavailableException Unavailable() => new(Message, this);
}
