using Microsoft.EntityFrameworkCore;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Controller.Routing;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Services;

/// <summary>The host names that reach an app (Deis's domains).</summary>
public sealed class DomainService(PaasDbContext db, RouteTableService routes, Activity activity, TimeProvider clock)
{
    public IQueryable<Hostname> List(App app) => db.Hostnames.Where(h => h.AppId == app.Id).OrderBy(h => h.Name);

    public async Task<Hostname> AddAsync(Caller caller, App app, string? name, CancellationToken ct)
    {
        var host = new Hostname(app.Id, (name ?? "").Trim(), caller.Username, clock.GetUtcNow());
        if (await db.Hostnames.AnyAsync(h => h.Name == host.Name, ct))
            throw new ValidationFailedException("domain", $"{host.Name} is already a domain of an app.", "Domain is already in use by another application");
        db.Hostnames.Add(host);
        activity.Record(app.Name, caller.Username, "domain", $"{caller.Username} added domain {host.Name}");
        await SaveAsync(ct);
        return host;
    }

    public async Task RemoveAsync(Caller caller, App app, string name, CancellationToken ct)
    {
        var lower = name.ToLowerInvariant();
        var host = await db.Hostnames.SingleOrDefaultAsync(h => h.AppId == app.Id && h.Name == lower, ct)
            ?? throw new NotFoundException("Domain", $"{name} is not a domain of {app.Name}. See its domains with: paas domains -a {app.Name}");
        db.Hostnames.Remove(host);
        activity.Record(app.Name, caller.Username, "domain", $"{caller.Username} removed domain {host.Name}");
        await SaveAsync(ct);
    }

    private async Task SaveAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
    }
}

/// <summary>TLS certificates, attached to domains for the router to serve by SNI.</summary>
public sealed class CertificateService(PaasDbContext db, AppAccess access, RouteTableService routes, Activity activity, TimeProvider clock, Microsoft.Extensions.Options.IOptions<PlatformOptions> platform)
{
    public IQueryable<Certificate> List(Caller caller) =>
        (caller.IsAdmin ? db.Certificates : db.Certificates.Where(c => c.Owner == caller.Username)).OrderBy(c => c.Name);

    public async Task<List<string>> DomainsOfAsync(string certificate, CancellationToken ct) =>
        await db.Hostnames.Where(h => h.CertificateName == certificate).Select(h => h.Name).OrderBy(n => n).ToListAsync(ct);

    public async Task<Certificate> GetAsync(Caller caller, string name, CancellationToken ct)
    {
        var cert = await db.Certificates.SingleOrDefaultAsync(c => c.Name == name, ct);
        if (cert is null || (!caller.IsAdmin && cert.Owner != caller.Username))
            throw new NotFoundException("Certificate", $"There is no certificate named {name} of yours. See yours with: paas certs");
        return cert;
    }

    public async Task<Certificate> AddAsync(Caller caller, string? name, string? certificatePem, string? keyPem, CancellationToken ct)
    {
        var cert = new Certificate(name ?? "", caller.Username, certificatePem ?? "", keyPem ?? "", clock.GetUtcNow());
        if (await db.Certificates.AnyAsync(c => c.Name == cert.Name, ct))
            throw new ValidationFailedException("name", $"A certificate named {cert.Name} exists already; choose another name.");
        db.Certificates.Add(cert);
        await db.SaveChangesAsync(ct);
        return cert;
    }

    public async Task RemoveAsync(Caller caller, string name, CancellationToken ct)
    {
        var cert = await GetAsync(caller, name, ct);
        db.Certificates.Remove(cert);
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
    }

    public async Task AttachAsync(Caller caller, string name, string? domain, CancellationToken ct)
    {
        var cert = await GetAsync(caller, name, ct);
        var host = await FindDomainAsync(caller, domain, ct);
        var fullName = host.Name.Contains('.', StringComparison.Ordinal) ? host.Name : $"{host.Name}.{platform.Value.Domain}";
        if (!cert.Covers(fullName))
            throw new ValidationFailedException("domain",
                $"Certificate {cert.Name} is for {string.Join(", ", cert.Sans.DefaultIfEmpty(cert.CommonName))}, not {fullName}.");
        host.AttachCertificate(cert.Name, clock.GetUtcNow());
        var app = await db.Apps.SingleAsync(a => a.Id == host.AppId, ct);
        activity.Record(app.Name, caller.Username, "domain", $"{caller.Username} attached certificate {cert.Name} to {host.Name}");
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
    }

    public async Task DetachAsync(Caller caller, string name, string domain, CancellationToken ct)
    {
        var cert = await GetAsync(caller, name, ct);
        var host = await FindDomainAsync(caller, domain, ct);
        if (host.CertificateName != cert.Name)
            throw new NotFoundException("Domain", $"Certificate {cert.Name} is not attached to {host.Name}.");
        host.AttachCertificate(null, clock.GetUtcNow());
        var app = await db.Apps.SingleAsync(a => a.Id == host.AppId, ct);
        activity.Record(app.Name, caller.Username, "domain", $"{caller.Username} detached certificate {cert.Name} from {host.Name}");
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
    }

    private async Task<Hostname> FindDomainAsync(Caller caller, string? domain, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(domain))
            throw new ValidationFailedException("domain", "Give the domain to attach to.", "This field may not be blank.");
        var lower = domain.ToLowerInvariant();
        var host = await db.Hostnames.SingleOrDefaultAsync(h => h.Name == lower, ct);
        var app = host is null ? null : await db.Apps.SingleAsync(a => a.Id == host.AppId, ct);
        if (host is null || !await access.CanUseAsync(caller, app!, ct))
            throw new NotFoundException("Domain", $"{domain} is not a domain of any app of yours. Add it first: paas domains:add {domain} -a APP");
        return host;
    }
}

/// <summary>The router-facing settings of an app, changed without a release.</summary>
public sealed class SettingsService(PaasDbContext db, IScheduler scheduler, RouteTableService routes, Activity activity, TimeProvider clock,
    AppLocks locks, Deployer deployer)
{
    public async Task<AppSettings> GetAsync(App app, CancellationToken ct) =>
        await db.Settings.SingleOrDefaultAsync(s => s.AppId == app.Id, ct) ?? await CreateAsync(app, ct);

    private async Task<AppSettings> CreateAsync(App app, CancellationToken ct)
    {
        var settings = new AppSettings(app.Id, app.Owner, clock.GetUtcNow());
        db.Settings.Add(settings);
        await db.SaveChangesAsync(ct);
        return settings;
    }

    /// <summary>Applies one change (a method of <see cref="AppSettings"/> returning its summary) and records it.</summary>
    public async Task<AppSettings> ChangeAsync(Caller caller, App app, Func<AppSettings, DateTimeOffset, string> change, CancellationToken ct)
    {
        var settings = await GetAsync(app, ct);
        var summary = change(settings, clock.GetUtcNow());
        activity.Record(app.Name, caller.Username, "settings", $"{caller.Username} {summary}");
        await db.SaveChangesAsync(ct);
        routes.Invalidate();
        return settings;
    }

    /// <summary>
    /// Autoscaling takes effect at once, without a release: the serving release is applied again with the new
    /// rules (on Kubernetes, its HorizontalPodAutoscalers appear or go).
    /// </summary>
    public Task ApplyAutoscalingAsync(App app, CancellationToken ct) => ApplyServingAgainAsync(app, ct);

    /// <summary>
    /// A backend that balances each process type behind an endpoint of its own (a Kubernetes Service) needs one for a
    /// newly routed type, and no longer for one whose service went: the serving release is applied again, at once.
    /// The Docker engine reaches every process on its own address, so nothing changes there.
    /// </summary>
    public Task ApplyServicesAsync(App app, CancellationToken ct) =>
        scheduler.Features.BalancedWebEndpoint ? ApplyServingAgainAsync(app, ct) : Task.CompletedTask;

    private async Task ApplyServingAgainAsync(App app, CancellationToken ct)
    {
        await using var held = await locks.AcquireAsync(app.Name, ct);
        await deployer.DeployServingLockedAsync(app, retireOthers: false, ct);
    }

    public void RequireAutoscaling()
    {
        if (!scheduler.Features.Autoscaling)
            throw new UnprocessableException(
                $"Autoscaling needs the Kubernetes scheduler; this platform runs apps on one Docker engine ({scheduler.Name}), which does not autoscale. Scale by hand: paas ps:scale web=N");
    }
}
