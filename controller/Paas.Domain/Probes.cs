namespace Paas.Domain;

/// <summary>How a health check asks a process whether it is well.</summary>
public enum ProbeKind
{
    HttpGet,
    TcpSocket,
    Exec,
}

/// <summary>
/// A readiness or liveness check, with Kubernetes's semantics (Deis stored them in that shape):
/// after <see cref="InitialDelaySeconds"/>, every <see cref="PeriodSeconds"/>, a check that takes longer
/// than <see cref="TimeoutSeconds"/> fails; <see cref="FailureThreshold"/> failures in a row mark the
/// process unready (readiness) or restart it (liveness).
/// </summary>
public sealed record Probe(
    ProbeKind Kind,
    string? Path = null,
    int? Port = null,
    IReadOnlyList<string>? Command = null,
    IReadOnlyDictionary<string, string>? Headers = null,
    int InitialDelaySeconds = 0,
    int TimeoutSeconds = 1,
    int PeriodSeconds = 10,
    int SuccessThreshold = 1,
    int FailureThreshold = 3)
{
    public void Validate(string where)
    {
        switch (Kind)
        {
            case ProbeKind.HttpGet when string.IsNullOrEmpty(Path) || !Path.StartsWith('/'):
                throw new ValidationFailedException("healthcheck", $"{where}: an httpGet check needs a path starting with '/', e.g. /health.");
            case ProbeKind.Exec when Command is not { Count: > 0 }:
                throw new ValidationFailedException("healthcheck", $"{where}: an exec check needs a command.");
        }
        if (Port is < 1 or > 65535)
            throw new ValidationFailedException("healthcheck", $"{where}: port {Port} is not a TCP port (1-65535).");
        if (InitialDelaySeconds < 0 || TimeoutSeconds < 1 || PeriodSeconds < 1 || SuccessThreshold < 1 || FailureThreshold < 1)
            throw new ValidationFailedException("healthcheck",
                $"{where}: delays must be 0 or more, and timeout, period and thresholds 1 or more.");
    }
}

/// <summary>The checks of one process type.</summary>
public sealed record Healthcheck(Probe? Liveness, Probe? Readiness);
