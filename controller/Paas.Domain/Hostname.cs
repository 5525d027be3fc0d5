using System.Text.RegularExpressions;

namespace Paas.Domain;

/// <summary>
/// A host name that reaches an app through the router. Every app has its default one (its own name,
/// a sub-domain of the platform domain); custom domains are added by users. A name without a dot is a
/// sub-domain of the platform domain, as in Deis.
/// </summary>
public sealed partial class Hostname
{
    private Hostname() { Name = ""; Owner = ""; }

    public Hostname(Guid appId, string name, string owner, DateTimeOffset now)
    {
        Validate(name);
        Id = Guid.NewGuid();
        AppId = appId;
        Name = name.ToLowerInvariant();
        Owner = owner;
        Created = Updated = now;
    }

    public Guid Id { get; private set; }
    public Guid AppId { get; private set; }
    public string Name { get; private set; }
    public string Owner { get; private set; }

    /// <summary>The certificate the router presents for this name, when one is attached.</summary>
    public string? CertificateName { get; private set; }

    public DateTimeOffset Created { get; private set; }
    public DateTimeOffset Updated { get; private set; }

    /// <summary>The name the router matches: as is when it has a dot, else under the platform domain.</summary>
    public string FullName(string platformDomain) => Name.Contains('.', StringComparison.Ordinal) ? Name : $"{Name}.{platformDomain}";

    public void AttachCertificate(string? certificate, DateTimeOffset now)
    {
        CertificateName = certificate;
        Updated = now;
    }

    [GeneratedRegex(@"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$", RegexOptions.IgnoreCase)]
    private static partial Regex Form();

    public static void Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 253 || !Form().IsMatch(name) || name.EndsWith('.'))
            throw new ValidationFailedException("domain",
                $"'{name}' does not look like a host name (letters, digits and hyphens in dot-separated labels, e.g. www.example.com).",
                "Hostname does not look valid.");
    }
}
