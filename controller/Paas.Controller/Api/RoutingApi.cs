using System.Text.Json.Nodes;
using Paas.Controller.Services;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>Domains, certificates and the router-facing settings: maintenance, routing, whitelist, TLS.</summary>
public static class RoutingApi
{
    public sealed record DomainRequest(string? Domain);

    public sealed record CertRequest(string? Name, string? Certificate, string? Key);

    public sealed record AddressesRequest(List<string>? Addresses);

    public sealed record TlsRequest(bool? HttpsEnforced);

    public sealed record ServiceRequest(string? ProcfileType, string? PathPattern);

    public static IEndpointRouteBuilder MapRoutingApi(this IEndpointRouteBuilder routes)
    {
        var domains = routes.MapGroup("/v2/apps/{id}/domains").WithTags("domains");
        domains.MapGet("", async (string id, HttpContext context, AppService apps, DomainService service, CancellationToken ct) =>
        {
            var app = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(await service.List(app).PageAsync(context.Request, h => DomainDto.From(h, app.Name)));
        });
        domains.MapPost("", async (string id, HttpContext context, AppService apps, DomainService service, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var app = await apps.GetAsync(caller, id, ct);
            var host = await service.AddAsync(caller, app, (await context.Request.ReadJsonAsync<DomainRequest>())?.Domain, ct);
            return Results.Json(DomainDto.From(host, app.Name), statusCode: StatusCodes.Status201Created);
        });
        domains.MapDelete("/{domain}", async (string id, string domain, HttpContext context, AppService apps, DomainService service, CancellationToken ct) =>
        {
            var caller = context.Caller();
            await service.RemoveAsync(caller, await apps.GetAsync(caller, id, ct), domain, ct);
            return Results.NoContent();
        });

        var certs = routes.MapGroup("/v2/certs").WithTags("certs");
        certs.MapGet("", async (HttpContext context, CertificateService service, CancellationToken ct) =>
        {
            var page = await service.List(context.Caller()).PageAsync(context.Request, c => c);
            var results = new List<CertDto>();
            foreach (var cert in page.Results) results.Add(CertDto.From(cert, await service.DomainsOfAsync(cert.Name, ct)));
            return Results.Json(new Page<CertDto>(page.Count, page.Next, page.Previous, results));
        });
        certs.MapPost("", async (HttpContext context, CertificateService service, CancellationToken ct) =>
        {
            var body = await context.Request.ReadJsonAsync<CertRequest>();
            var cert = await service.AddAsync(context.Caller(), body?.Name, body?.Certificate, body?.Key, ct);
            return Results.Json(CertDto.From(cert, []), statusCode: StatusCodes.Status201Created);
        });
        certs.MapGet("/{name}", async (string name, HttpContext context, CertificateService service, CancellationToken ct) =>
            Results.Json(CertDto.From(await service.GetAsync(context.Caller(), name, ct), await service.DomainsOfAsync(name, ct))));
        certs.MapDelete("/{name}", async (string name, HttpContext context, CertificateService service, CancellationToken ct) =>
        {
            await service.RemoveAsync(context.Caller(), name, ct);
            return Results.NoContent();
        });
        certs.MapPost("/{name}/domain", async (string name, HttpContext context, CertificateService service, CancellationToken ct) =>
        {
            await service.AttachAsync(context.Caller(), name, (await context.Request.ReadJsonAsync<DomainRequest>())?.Domain, ct);
            return Results.Json(new { }, statusCode: StatusCodes.Status201Created);
        });
        certs.MapDelete("/{name}/domain/{domain}", async (string name, string domain, HttpContext context, CertificateService service, CancellationToken ct) =>
        {
            await service.DetachAsync(context.Caller(), name, domain, ct);
            return Results.NoContent();
        });

        var app = routes.MapGroup("/v2/apps/{id}").WithTags("settings");
        app.MapGet("/settings", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var target = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(SettingsDto.From(await settings.GetAsync(target, ct), target.Name));
        });
        app.MapPost("/settings", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var body = await context.Request.ReadJsonObjectAsync();
            var changes = SettingsChanges(body, settings, caller.Username);
            if (changes.Count == 0)
                throw new ValidationFailedException("non_field_errors", "Nothing to change: send maintenance, routable, label or autoscale.");
            AppSettings? result = null;
            foreach (var change in changes) result = await settings.ChangeAsync(caller, target, change, ct);
            if (body["autoscale"] is not null) await settings.ApplyAutoscalingAsync(target, ct);
            return Results.Json(SettingsDto.From(result!, target.Name), statusCode: StatusCodes.Status201Created);
        });

        app.MapGet("/whitelist", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var target = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(new { addresses = (await settings.GetAsync(target, ct)).Whitelist });
        });
        app.MapPost("/whitelist", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var addresses = (await context.Request.ReadJsonAsync<AddressesRequest>())?.Addresses ?? [];
            var result = await settings.ChangeAsync(caller, target, (s, now) => s.AddToWhitelist(addresses, caller.Username, now), ct);
            return Results.Json(new { addresses = result.Whitelist }, statusCode: StatusCodes.Status201Created);
        });
        app.MapDelete("/whitelist", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var addresses = (await context.Request.ReadJsonAsync<AddressesRequest>())?.Addresses ?? [];
            await settings.ChangeAsync(caller, target, (s, now) => s.RemoveFromWhitelist(addresses, caller.Username, now), ct);
            return Results.NoContent();
        });

        app.MapGet("/services", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var target = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(new { services = ServiceDto.From(await settings.GetAsync(target, ct)) });
        });
        app.MapPost("/services", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var request = await context.Request.ReadJsonAsync<ServiceRequest>();
            var result = await settings.ChangeAsync(caller, target,
                (s, now) => s.AddService(request?.ProcfileType, request?.PathPattern, caller.Username, now), ct);
            await settings.ApplyServicesAsync(target, ct);
            return Results.Json(ServiceDto.From(result).Single(d => d.ProcfileType == request!.ProcfileType), statusCode: StatusCodes.Status201Created);
        });
        app.MapDelete("/services", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var type = (await context.Request.ReadJsonAsync<ServiceRequest>())?.ProcfileType;
            await settings.ChangeAsync(caller, target, (s, now) => s.RemoveService(type, caller.Username, now), ct);
            await settings.ApplyServicesAsync(target, ct);
            return Results.NoContent();
        });

        app.MapGet("/tls", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var target = await apps.GetAsync(context.Caller(), id, ct);
            return Results.Json(TlsDto.From(await settings.GetAsync(target, ct), target.Name));
        });
        app.MapPost("/tls", async (string id, HttpContext context, AppService apps, SettingsService settings, CancellationToken ct) =>
        {
            var caller = context.Caller();
            var target = await apps.GetAsync(caller, id, ct);
            var enforced = (await context.Request.ReadJsonAsync<TlsRequest>())?.HttpsEnforced
                ?? throw new ValidationFailedException("https_enforced", "Send {\"https_enforced\": true} or false.");
            var result = await settings.ChangeAsync(caller, target, (s, now) => s.SetHttpsEnforced(enforced, caller.Username, now), ct);
            return Results.Json(TlsDto.From(result, target.Name), statusCode: StatusCodes.Status201Created);
        });

        return routes;
    }

    private static readonly string[] KnownSettings = ["maintenance", "routable", "label", "autoscale"];

    /// <summary>Reads Deis's partial settings body into changes, validating everything before anything changes.</summary>
    private static List<Func<AppSettings, DateTimeOffset, string>> SettingsChanges(JsonObject body, SettingsService settings, string user)
    {
        var unknown = body.Select(p => p.Key).Where(k => !KnownSettings.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ValidationFailedException("non_field_errors", $"Unknown setting(s) {string.Join(", ", unknown)}; the settings are {string.Join(", ", KnownSettings)}.");
        var changes = new List<Func<AppSettings, DateTimeOffset, string>>();
        if (body["maintenance"] is { } maintenance)
        {
            var on = Bool(maintenance, "maintenance");
            changes.Add((s, now) => s.SetMaintenance(on, user, now));
        }
        if (body["routable"] is { } routable)
        {
            var on = Bool(routable, "routable");
            changes.Add((s, now) => s.SetRoutable(on, user, now));
        }
        if (body["label"] is JsonObject label)
        {
            var labels = label.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : kv.Value is JsonValue v && v.TryGetValue<string>(out var text)
                ? text : throw new ValidationFailedException("label", $"Label {kv.Key} must be a string."));
            changes.Add((s, now) => s.ChangeLabels(labels, user, now));
        }
        if (body["autoscale"] is JsonObject autoscale)
        {
            settings.RequireAutoscaling();
            var rules = autoscale.ToDictionary(kv => kv.Key, kv => kv.Value is not JsonObject o ? null
                : new Autoscale(Int(o, "min"), Int(o, "max"), Int(o, "cpu_percent")));
            changes.Add((s, now) => s.ChangeAutoscale(rules, user, now));
        }
        return changes;
    }

    private static bool Bool(JsonNode node, string field) =>
        node is JsonValue v && v.TryGetValue<bool>(out var value) ? value : throw new ValidationFailedException(field, $"{field} must be true or false.");

    private static int Int(JsonObject o, string field) =>
        o[field] is JsonValue v && v.TryGetValue<int>(out var value) ? value : throw new ValidationFailedException("autoscale", $"autoscale needs a whole number for {field}.");
}
