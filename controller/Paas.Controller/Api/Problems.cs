using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Paas.Domain;
using Paas.Domain.Scheduling;

namespace Paas.Controller.Api;

/// <summary>
/// The one place errors become HTTP answers: ProblemDetails (RFC 9457) with a message a person can
/// act on, shaped so the original deis CLI also understands them (see DEVELOPERS.md).
/// </summary>
public static class Problems
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The same answer as an <see cref="IResult"/>, for endpoints and filters.</summary>
    public static IResult Result(int status, string detail) => new ProblemResult(status, detail);

    private sealed record ProblemResult(int Status, string Detail) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => Write(httpContext, Status, Detail);
    }

    public static Task Write(HttpContext context, int status, string detail, IReadOnlyDictionary<string, object?>? fields = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"https://httpstatuses.io/{status}",
            ["title"] = Title(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (fields is not null)
            foreach (var (key, value) in fields) body.TryAdd(key, value);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json), context.RequestAborted);
    }

    /// <summary>
    /// 404s: a ProblemDetails for clients that ask for one, else Deis's bare JSON string
    /// ("No App matches the given query."), which the deis CLI prints verbatim.
    /// </summary>
    public static Task WriteNotFound(HttpContext context, NotFoundException error)
    {
        if (WantsProblemJson(context.Request))
            return Write(context, StatusCodes.Status404NotFound, error.Message);
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize($"No {error.What} matches the given query.", Json), context.RequestAborted);
    }

    public static bool WantsProblemJson(HttpRequest request) =>
        request.Headers.Accept.Any(a => a?.Contains("application/problem+json", StringComparison.OrdinalIgnoreCase) == true);

    private static string Title(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        503 => "Service Unavailable",
        _ => status >= 500 ? "Internal Server Error" : "Error",
    };
}

/// <summary>Turns exceptions into the answers above; anything unexpected is logged and becomes a 500.</summary>
public sealed class PaasExceptionHandler(ILogger<PaasExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        switch (exception)
        {
            case ValidationFailedException e:
                await Problems.Write(context, 400, e.Message,
                    new Dictionary<string, object?> { [e.Field] = new[] { e.CanonicalMessage ?? e.Message } });
                break;
            case NotFoundException e:
                await Problems.WriteNotFound(context, e);
                break;
            case ForbiddenException e:
                await Problems.Write(context, 403, e.Message);
                break;
            case ConflictException e:
                await Problems.Write(context, 409, e.Message);
                break;
            case UnprocessableException e:
                await Problems.Write(context, 422, e.Message);
                break;
            case DeploymentFailedException e:
                // The request was fine; the app's processes would not start (e.g. after a scale).
                await Problems.Write(context, 422, e.Message);
                break;
            case SchedulerUnavailableException e:
                // The platform's backend, not the request, is at fault; say what failed so an operator can act.
                logger.LogError(e, "The scheduler failed on {Method} {Path}", context.Request.Method, context.Request.Path);
                await Problems.Write(context, 503, e.Message);
                break;
            case BadHttpRequestException e:
                await Problems.Write(context, e.StatusCode, e.Message);
                break;
            case OperationCanceledException when context.RequestAborted.IsCancellationRequested:
                break;
            default:
                logger.LogError(exception, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
                await Problems.Write(context, 500, "The controller failed to handle this request; the controller's log has the details.");
                break;
        }
        return true;
    }
}
