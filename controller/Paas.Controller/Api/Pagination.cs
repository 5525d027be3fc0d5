using Microsoft.EntityFrameworkCore;
using Paas.Domain;

namespace Paas.Controller.Api;

/// <summary>Deis's (Django REST framework's) limit/offset pages: {count, next, previous, results}.</summary>
public sealed record Page<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results);

public static class Pagination
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static async Task<Page<TOut>> PageAsync<TIn, TOut>(this IQueryable<TIn> query, HttpRequest request, Func<TIn, TOut> map)
    {
        var (limit, offset) = Read(request);
        var count = await query.CountAsync(request.HttpContext.RequestAborted);
        var items = await query.Skip(offset).Take(limit).ToListAsync(request.HttpContext.RequestAborted);
        return Of(items.Select(map).ToList(), count, limit, offset, request);
    }

    /// <summary>A page over a list already in memory (e.g. processes from the scheduler).</summary>
    public static Page<T> PageOf<T>(this IReadOnlyList<T> all, HttpRequest request)
    {
        var (limit, offset) = Read(request);
        return Of(all.Skip(offset).Take(limit).ToList(), all.Count, limit, offset, request);
    }

    private static Page<T> Of<T>(IReadOnlyList<T> items, int count, int limit, int offset, HttpRequest request)
    {
        string Link(int at) => $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}/?limit={limit}&offset={at}";
        var next = offset + limit < count ? Link(offset + limit) : null;
        var previous = offset > 0 ? Link(Math.Max(0, offset - limit)) : null;
        return new Page<T>(count, next, previous, items);
    }

    private static (int Limit, int Offset) Read(HttpRequest request)
    {
        var limit = ReadInt(request, "limit", DefaultLimit);
        var offset = ReadInt(request, "offset", 0);
        if (limit < 1) throw new ValidationFailedException("limit", "limit must be 1 or more.");
        if (offset < 0) throw new ValidationFailedException("offset", "offset must be 0 or more.");
        return (Math.Min(limit, MaxLimit), offset);
    }

    private static int ReadInt(HttpRequest request, string name, int fallback)
    {
        var raw = request.Query[name].ToString();
        if (string.IsNullOrEmpty(raw)) return fallback;
        return int.TryParse(raw, out var value)
            ? value
            : throw new ValidationFailedException(name, $"{name} must be a whole number, not '{raw}'.");
    }
}
