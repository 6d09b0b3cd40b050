using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LlmSpell.Llm.Providers.Http;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Ollama;

/// <summary>
/// Ollama's POST {base_url}/api/chat as an <see cref="IChatClient"/>: one JSON body for stream:false, NDJSON lines for
/// stream:true (OllamaSharp does not run under Native AOT). A key, when configured, goes as a bearer token (proxies).
/// </summary>
internal sealed class OllamaChatClient(HttpClient http, Uri baseUri, string? apiKey) : IChatClient
{
    private readonly Uri _chatUri = Endpoints.Append(baseUri, "api/chat");

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var request = OllamaRequests.Build(messages, options, stream: false);
        using var response = await PostAsync(request, cancellationToken).ConfigureAwait(false);
        var chunk = await JsonHttp.ReadAsync(response, OllamaJsonContext.Default.OllamaChatChunk, cancellationToken).ConfigureAwait(false);
        if (chunk.Error is { } error) throw new ProviderStatusException(500, error, retryAfter: null);
        var contents = Contents(chunk, inStream: false);
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = chunk.Model,
            FinishReason = FinishReasons.FromOllama(chunk.DoneReason, contents.OfType<FunctionCallContent>().Any()),
            Usage = OllamaResponses.Usage(chunk),
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = OllamaRequests.Build(messages, options, stream: true);
        using var response = await PostAsync(request, cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(body, Encoding.UTF8);
        var calledTools = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            var chunk = ParseLine(line);
            if (chunk.Error is { } error) throw new ProviderStatusException(500, error, retryAfter: null);
            var contents = Contents(chunk, inStream: true);
            calledTools |= contents.OfType<FunctionCallContent>().Any();
            if (chunk.Done)
            {
                contents.Add(new UsageContent(OllamaResponses.Usage(chunk)));
                yield return new ChatResponseUpdate(ChatRole.Assistant, contents)
                {
                    ModelId = chunk.Model, FinishReason = FinishReasons.FromOllama(chunk.DoneReason, calledTools),
                };
                yield break;
            }
            if (contents.Count > 0)
                yield return new ChatResponseUpdate(ChatRole.Assistant, contents) { ModelId = chunk.Model };
        }
        throw new StreamEndedEarlyException("the stream ended before the chunk with done:true");
    }

    private Task<HttpResponseMessage> PostAsync(OllamaChatRequest request, CancellationToken cancellationToken) =>
        JsonHttp.PostAsync(http, _chatUri, request, OllamaJsonContext.Default.OllamaChatRequest, headers =>
        {
            if (!string.IsNullOrEmpty(apiKey)) headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }, cancellationToken);

    private static OllamaChatChunk ParseLine(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, OllamaJsonContext.Default.OllamaChatChunk)
                   ?? throw new MalformedResponseException("a line is JSON null", inStream: true);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException($"a line is not the JSON the API defines ({e.Message})", inStream: true, e);
        }
    }

    private static List<AIContent> Contents(OllamaChatChunk chunk, bool inStream)
    {
        try
        {
            return OllamaResponses.Contents(chunk.Message);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException($"tool call arguments are not a JSON object ({e.Message})", inStream, e);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { } // the HttpClient belongs to the provider
}
