namespace Paas.Domain;

/// <summary>
/// A partial change to an app's configuration, as one `config:set`, `limits:set`, `healthchecks:set`,
/// `tags:set` or `timeouts:set` asks for it. In every map a null value removes the key.
/// </summary>
public sealed record ConfigChange(
    IReadOnlyDictionary<string, string?>? Values = null,
    IReadOnlyDictionary<string, string?>? Memory = null,
    IReadOnlyDictionary<string, string?>? Cpu = null,
    IReadOnlyDictionary<string, string?>? Tags = null,
    IReadOnlyDictionary<string, string?>? Registry = null,
    IReadOnlyDictionary<string, HealthcheckChange?>? Healthcheck = null,
    IReadOnlyDictionary<string, int?>? TerminationGracePeriod = null)
{
    public bool IsEmpty => Values is null && Memory is null && Cpu is null && Tags is null && Registry is null
        && Healthcheck is null && TerminationGracePeriod is null;
}

/// <summary>
/// A change to one process type's checks. <see cref="Liveness"/>/<see cref="Readiness"/> null means
/// "leave as is" unless the matching Unset flag is set.
/// </summary>
public sealed record HealthcheckChange(Probe? Liveness, Probe? Readiness, bool UnsetLiveness = false, bool UnsetReadiness = false);
