using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Paas.Hosting;

/// <summary>MassTransit on RabbitMQ, configured the same way in every component.</summary>
public static class Bus
{
    /// <summary>Configuration key of the broker address, e.g. amqp://guest:guest@127.0.0.1:5672/.</summary>
    public const string RabbitMqKey = "PAAS_RABBITMQ";

    public static IServiceCollection AddPaasBus(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator>? configure = null)
    {
        var address = new Uri(configuration[RabbitMqKey] ?? "amqp://guest:guest@127.0.0.1:5672/");
        services.AddMassTransit(bus =>
        {
            configure?.Invoke(bus);
            bus.SetKebabCaseEndpointNameFormatter();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(address, host =>
                {
                    var credentials = address.UserInfo.Split(':', 2);
                    host.Username(Uri.UnescapeDataString(credentials.ElementAtOrDefault(0) is { Length: > 0 } user ? user : "guest"));
                    host.Password(Uri.UnescapeDataString(credentials.ElementAtOrDefault(1) ?? "guest"));
                });
                rabbit.ConfigureEndpoints(context);
            });
        });
        return services;
    }
}
