using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using LlmSpell.Llm.Resilience;

namespace LlmSpell.Llm.Providers.Http;

/// <summary>POSTs a source-generated JSON body and fails with <see cref="ProviderStatusException"/> on an error status.</summary>
internal static class JsonHttp
{
    private const int MaxErrorBodyChars = 64 * 1024;

    /// <summary>Sends and returns the response once its headers arrived and its status is a success.</summary>
    public static async Task<HttpResponseMessage> PostAsync<T>(HttpClient http, Uri uri, T body, JsonTypeInfo<T> typeInfo,
        Action<HttpRequestHeaders> addHeaders, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, typeInfo))
            {
                Headers = { ContentType = new MediaTypeHeaderValue("application/json") },
            },
        };
        addHeaders(request.Headers);
        return await SendAsync(http, request, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode) return response;
        using (response)
        {
            var body = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var message = ProviderErrorMessages.Extract(body);
            throw new ProviderStatusException((int)response.StatusCode,
                message.Length > 0 ? message : response.ReasonPhrase ?? response.StatusCode.ToString(), RetryAfterHeader.From(response));
        }
    }

    /// <summary>Parses a whole (size-capped) JSON body.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync(stream, typeInfo, cancellationToken).ConfigureAwait(false)
                   ?? throw new MalformedResponseException("the response body is JSON null", inStream: false);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException(e.Message, inStream: false, e);
        }
    }

    private static async Task<string> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            return new string(buffer, 0, read);
        }
        catch (IOException)
        {
            return ""; // the status says enough
        }
    }
}
