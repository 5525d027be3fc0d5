using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paas.Contracts;
using Paas.Controller.Api;
using Paas.Controller.Auth;
using Paas.Controller.Data;
using Paas.Controller.Messaging;
using Paas.Controller.Routing;
using Paas.Controller.Services;
using Paas.Domain.Scheduling;
using Paas.Hosting;
using Paas.Scheduler.Docker;
using Paas.Scheduler.Kubernetes;

namespace Paas.Controller;

/// <summary>The controller's composition root.</summary>
public static class ControllerHosting
{
    public const string DefaultDatabase = "Host=127.0.0.1;Port=5433;Database=paas;Username=paas";

    public static WebApplicationBuilder AddController(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddOptions<PlatformOptions>().Bind(configuration);
        // EF logs the expected failure of the first migration-history query at error level; real
        // database errors surface as exceptions and are logged where they are handled.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        services.AddSingleton(TimeProvider.System);

        var dataSource = NpgsqlDataSource.Create(configuration["PAAS_DATABASE"] ?? DefaultDatabase);
        services.AddSingleton(dataSource);
        services.AddDbContext<PaasDbContext>(options => options.UseNpgsql(dataSource));
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");

        services.AddIdentityCore<PaasUser>(options =>
            {
                // Deis's rules: letters, digits and @ . + - _ in user names; no composition rules for passwords.
                options.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredLength = 6;
                options.Password.RequiredUniqueChars = 1;
            })
            .AddRoles<IdentityRole<Guid>>()
            .AddEntityFrameworkStores<PaasDbContext>();

        services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(PeopleApi.AdminOnly, policy => policy.RequireRole(Roles.Admin));

        services.ConfigureHttpJsonOptions(options => PaasJson.Configure(options.SerializerOptions));
        services.AddExceptionHandler<PaasExceptionHandler>();
        services.AddOpenApi();

        services.AddScheduler(configuration);
        services.AddScoped<UserService>();
        services.AddScoped<AppAccess>();
        services.AddScoped<AppService>();
        services.AddScoped<ReleaseService>();
        services.AddScoped<Deployer>();
        services.AddScoped<AppLocks>();
        services.AddScoped<Activity>();
        services.AddScoped<Notices>();
        services.AddScoped<ProcessService>();
        services.AddScoped<CollaboratorService>();
        services.AddScoped<KeyService>();
        services.AddScoped<DomainService>();
        services.AddScoped<CertificateService>();
        services.AddScoped<SettingsService>();
        services.AddSingleton<Retirements>();
        services.AddSingleton<RouteTableService>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());

        services.AddPaasBus(configuration, bus =>
        {
            bus.AddConsumer<BuildSucceededConsumer>();
            bus.AddConsumer<BuildFailedConsumer>();
        });
        return builder;
    }

    private static IServiceCollection AddScheduler(this IServiceCollection services, ConfigurationManager configuration)
    {
        var kind = configuration["PAAS_SCHEDULER"] ?? "docker";
        return kind switch
        {
            "docker" => services.AddDockerScheduler(configuration),
            "kubernetes" => services.AddKubernetesScheduler(configuration),
            _ => throw new InvalidOperationException($"PAAS_SCHEDULER must be 'docker' or 'kubernetes' (got '{kind}')."),
        };
    }

    public static WebApplication UseController(this WebApplication app)
    {
        app.UseDeisCompatibility();
        app.UseNotices();
        app.UseExceptionHandler();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapPaasDefaults();
        app.MapOpenApi("/openapi/v1.json").AllowAnonymous();
        app.MapControllerApi();
        return app;
    }

    /// <summary>Applies pending migrations before the controller serves anything.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaasDbContext>();
        await db.Database.MigrateAsync();
    }
}
