namespace Paas.Domain;

/// <summary>A request the platform refuses; the message tells a person what to do instead.</summary>
public abstract class PaasException(string message) : Exception(message);

/// <summary>
/// Bad input. <see cref="Field"/> names the offending field; <see cref="CanonicalMessage"/>, when set,
/// is the exact text Deis Workflow used for this case, which the original deis CLI recognises.
/// </summary>
public sealed class ValidationFailedException(string field, string message, string? canonicalMessage = null)
    : PaasException(message)
{
    public string Field { get; } = field;
    public string? CanonicalMessage { get; } = canonicalMessage;
}

/// <summary>The thing asked for does not exist, or the caller may not know that it does.</summary>
public sealed class NotFoundException(string what, string message) : PaasException(message)
{
    /// <summary>Deis's model name ("App", "Release", ...), for its "No App matches the given query." body.</summary>
    public string What { get; } = what;
}

/// <summary>The caller is known but may not do this.</summary>
public sealed class ForbiddenException(string message) : PaasException(message);

/// <summary>The request clashes with the current state (e.g. a name in use, or a user who still owns apps).</summary>
public sealed class ConflictException(string message) : PaasException(message);

/// <summary>The request is well formed but cannot be carried out now (e.g. nothing to roll back to).</summary>
public sealed class UnprocessableException(string message) : PaasException(message);
