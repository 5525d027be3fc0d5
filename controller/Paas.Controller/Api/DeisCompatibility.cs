using System.Reflection;
using System.Text.RegularExpressions;

namespace Paas.Controller.Api;

/// <summary>
/// What every response needs so Deis Workflow clients work unchanged: the API version headers, and
/// paths accepted with or without a trailing slash and with doubled slashes (the deis CLI sends
/// `GET //v2/` when its controller URL ends in a slash).
/// </summary>
public static partial class DeisCompatibility
{
    public const string ApiVersion = "2.3";

    public static readonly string PlatformVersion =
        typeof(DeisCompatibility).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    [GeneratedRegex("/{2,}")]
    private static partial Regex RepeatedSlashes();

    /// <summary>Call before UseRouting so the normalised path is the one routed.</summary>
    public static IApplicationBuilder UseDeisCompatibility(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                context.Response.Headers["DEIS_API_VERSION"] = ApiVersion;
                context.Response.Headers["DEIS_PLATFORM_VERSION"] = PlatformVersion;
                return Task.CompletedTask;
            });
            var path = context.Request.Path.Value;
            if (path is { Length: > 1 })
            {
                var normalised = RepeatedSlashes().Replace(path, "/");
                if (normalised.Length > 1) normalised = normalised.TrimEnd('/');
                if (normalised.Length == 0) normalised = "/";
                context.Request.Path = normalised;
            }
            await next(context);
        });
}

public static class NoticeHeaders
{
    /// <summary>Sends what services added to <see cref="Services.Notices"/> as X-Paas-Notice headers.</summary>
    public static IApplicationBuilder UseNotices(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var notices = context.RequestServices.GetService<Services.Notices>();
                if (notices is { Items.Count: > 0 }) context.Response.Headers["X-Paas-Notice"] = notices.Items.ToArray();
                return Task.CompletedTask;
            });
            await next(context);
        });
}
