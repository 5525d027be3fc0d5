using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Paas.Controller.Tests;

/// <summary>Raw HTTP against the controller, to check the wire contract exactly as clients see it.</summary>
public sealed class ApiClient(string baseUrl, string? token = null) : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromMinutes(2) };

    public sealed record Reply(int Status, string Body, HttpResponseHeaders Headers, string? ContentType)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
        public override string ToString() => $"{Status} {Body}";
    }

    public Task<Reply> GetAsync(string path, string? accept = null) => SendAsync(HttpMethod.Get, path, null, accept);

    public Task<Reply> PostAsync(string path, string? json, string? accept = null) => SendAsync(HttpMethod.Post, path, json, accept);

    public Task<Reply> DeleteAsync(string path) => SendAsync(HttpMethod.Delete, path, null, null);

    public async Task<Reply> SendAsync(HttpMethod method, string path, string? json, string? accept, string? authorization = null)
    {
        // Absolute, so a path like //v2/ is sent as written.
        using var request = new HttpRequestMessage(method, new Uri(baseUrl.TrimEnd('/') + path));
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        else if (token is not null) request.Headers.TryAddWithoutValidation("Authorization", "token " + token);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        request.Content = new StringContent(json ?? "", Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers,
            response.Content.Headers.ContentType?.MediaType);
    }

    public void Dispose() => http.Dispose();
}
