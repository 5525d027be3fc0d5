using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paas.Domain;

namespace Paas.Controller.Data;

public sealed class PaasDbContext(DbContextOptions<PaasDbContext> options)
    : IdentityDbContext<PaasUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<App> Apps => Set<App>();
    public DbSet<Build> Builds => Set<Build>();
    public DbSet<Config> Configs => Set<Config>();
    public DbSet<Release> Releases => Set<Release>();
    public DbSet<ApiToken> Tokens => Set<ApiToken>();
    public DbSet<Collaborator> Collaborators => Set<Collaborator>();
    public DbSet<AppSettings> Settings => Set<AppSettings>();
    public DbSet<Hostname> Hostnames => Set<Hostname>();
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<SshKey> Keys => Set<SshKey>();
    public DbSet<AppEvent> Events => Set<AppEvent>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<App>(app =>
        {
            app.ToTable("apps");
            app.HasKey(a => a.Id);
            app.Property(a => a.Name).HasMaxLength(AppName.MaxLength);
            app.HasIndex(a => a.Name).IsUnique();
            app.Property(a => a.Owner).HasMaxLength(256);
            app.Property(a => a.Structure).HasJsonb();
        });

        builder.Entity<Build>(build =>
        {
            build.ToTable("builds");
            build.HasKey(b => b.Id);
            build.HasIndex(b => b.AppId);
            build.HasOne<App>().WithMany().HasForeignKey(b => b.AppId).OnDelete(DeleteBehavior.Cascade);
            build.Property(b => b.Procfile).HasJsonb();
            build.Property(b => b.Phases).HasJsonb();
            build.Property(b => b.Status).HasMaxLength(16).HasDefaultValue(BuildStatus.Succeeded);
            build.Ignore(b => b.ProcessTypes);
            build.Ignore(b => b.Label);
        });

        builder.Entity<Config>(config =>
        {
            config.ToTable("configs");
            config.HasKey(c => c.Id);
            config.HasIndex(c => c.AppId);
            config.HasOne<App>().WithMany().HasForeignKey(c => c.AppId).OnDelete(DeleteBehavior.Cascade);
            config.Property(c => c.Values).HasJsonb();
            config.Property(c => c.Memory).HasJsonb();
            config.Property(c => c.Cpu).HasJsonb();
            config.Property(c => c.Tags).HasJsonb();
            config.Property(c => c.Registry).HasJsonb();
            config.Property(c => c.Healthchecks).HasJsonb();
            config.Property(c => c.TerminationGracePeriod).HasJsonb();
        });

        builder.Entity<Release>(release =>
        {
            release.ToTable("releases");
            release.HasKey(r => r.Id);
            // Versions are unique per app; allocation also takes a row lock on the app (ReleaseService).
            release.HasIndex(r => new { r.AppId, r.Version }).IsUnique();
            release.HasOne<App>().WithMany().HasForeignKey(r => r.AppId).OnDelete(DeleteBehavior.Cascade);
            // NO ACTION (checked at the end of the statement): deleting an app cascades to its builds,
            // configs and releases in one statement, while a lone build or config in use stays protected.
            release.HasOne<Build>().WithMany().HasForeignKey(r => r.BuildId).OnDelete(DeleteBehavior.NoAction);
            release.HasOne<Config>().WithMany().HasForeignKey(r => r.ConfigId).OnDelete(DeleteBehavior.NoAction);
            release.Property(r => r.State).HasConversion<string>().HasMaxLength(16);
            release.Ignore(r => r.Failed);
        });

        builder.Entity<AppSettings>(settings =>
        {
            settings.ToTable("app_settings");
            settings.HasKey(x => x.AppId);
            settings.HasOne<App>().WithOne().HasForeignKey<AppSettings>(x => x.AppId).OnDelete(DeleteBehavior.Cascade);
            settings.Property(x => x.Whitelist).HasJsonbList();
            settings.Property(x => x.Label).HasJsonb();
            settings.Property(x => x.Autoscale).HasJsonb();
            settings.Property(x => x.Services).HasJsonb();
        });

        builder.Entity<Hostname>(host =>
        {
            host.ToTable("hostnames");
            host.HasKey(h => h.Id);
            host.HasIndex(h => h.Name).IsUnique();
            host.HasIndex(h => h.AppId);
            host.HasOne<App>().WithMany().HasForeignKey(h => h.AppId).OnDelete(DeleteBehavior.Cascade);
            host.HasOne<Certificate>().WithMany().HasForeignKey(h => h.CertificateName).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Certificate>(cert =>
        {
            cert.ToTable("certificates");
            cert.HasKey(c => c.Name);
            cert.Property(c => c.Sans).HasJsonbList();
        });

        builder.Entity<SshKey>(key =>
        {
            key.ToTable("ssh_keys");
            key.HasKey(k => k.Id);
            key.HasIndex(k => k.Fingerprint).IsUnique();
            key.HasIndex(k => new { k.Owner, k.Name }).IsUnique();
        });

        builder.Entity<AppEvent>(e =>
        {
            e.ToTable("app_events");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.App, x.Created });
        });

        builder.Entity<ApiToken>(token =>
        {
            token.ToTable("api_tokens");
            token.HasKey(t => t.Id);
            token.HasIndex(t => t.Hash).IsUnique();
            token.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Collaborator>(perm =>
        {
            perm.ToTable("collaborators");
            perm.HasKey(p => new { p.AppId, p.UserId });
            perm.HasOne<App>().WithMany().HasForeignKey(p => p.AppId).OnDelete(DeleteBehavior.Cascade);
            perm.HasOne<PaasUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

internal static class JsonbMapping
{
    /// <summary>Stores a list as a jsonb array.</summary>
    public static PropertyBuilder<List<string>> HasJsonbList(this PropertyBuilder<List<string>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                text => JsonSerializer.Deserialize<List<string>>(text, Json) ?? new List<string>(),
                new ValueComparer<List<string>>(
                    (a, b) => a != null && b != null && a.SequenceEqual(b),
                    value => value.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
                    value => value.ToList()));

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>Stores a dictionary as a jsonb column; keys keep their case and order does not matter.</summary>
    public static PropertyBuilder<Dictionary<string, TValue>> HasJsonb<TValue>(this PropertyBuilder<Dictionary<string, TValue>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                value => JsonSerializer.Serialize(value, Json),
                text => new Dictionary<string, TValue>(
                    JsonSerializer.Deserialize<Dictionary<string, TValue>>(text, Json) ?? new(), StringComparer.Ordinal),
                new ValueComparer<Dictionary<string, TValue>>(
                    (a, b) => a != null && b != null && a.Count == b.Count && !a.Except(b).Any(),
                    value => value.Aggregate(0, (hash, pair) => hash ^ HashCode.Combine(pair.Key, pair.Value)),
                    value => new Dictionary<string, TValue>(value, StringComparer.Ordinal)));
}
