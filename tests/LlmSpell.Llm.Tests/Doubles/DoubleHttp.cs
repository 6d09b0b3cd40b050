using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>Plain HttpClient requests to a provider double, for the tests that check its bytes rather than an SDK's view.</summary>
internal static class DoubleHttp
{
    public static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    public const string AnthropicVersion = "2023-06-01";

    /// <summary>POSTs <paramref name="json"/>; headers are (name, value) pairs. With ResponseHeadersRead the body is left to read.</summary>
    public static Task<HttpResponseMessage> PostAsync(string url, string json, IEnumerable<(string Name, string Value)>? headers = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancel = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return Client.SendAsync(request, completion, cancel);
    }

    public static Task<HttpResponseMessage> AnthropicAsync(string baseUrl, string json, IEnumerable<(string Name, string Value)>? headers = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, CancellationToken cancel = default) =>
        PostAsync(baseUrl + "/v1/messages", json, [("anthropic-version", AnthropicVersion), .. headers ?? []], completion, cancel);

    public static Task<HttpResponseMessage> GetAsync(string url, IEnumerable<(string Name, string Value)>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        foreach (var (name, value) in headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
        return Client.SendAsync(request);
    }

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? throw new InvalidOperationException("null JSON body");

    /// <summary>All lines of the body (SSE or NDJSON), empty ones dropped.</summary>
    public static async Task<List<string>> LinesAsync(this HttpResponseMessage response) =>
        (await response.Content.ReadAsStringAsync()).Split('\n').Where(line => line.Length > 0).ToList();

    /// <summary>The payloads of the SSE <c>data:</c> lines.</summary>
    public static async Task<List<string>> SseDataAsync(this HttpResponseMessage response) =>
        (await response.LinesAsync()).Where(line => line.StartsWith("data: ", StringComparison.Ordinal)).Select(line => line["data: ".Length..]).ToList();

    public static string? MediaType(this HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType;

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    public static string? RetryAfter(this HttpResponseMessage response) =>
        response.Headers.RetryAfter is RetryConditionHeaderValue retry ? retry.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
}
