using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using LlmSpell.Llm.Providers.Http;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Anthropic;

/// <summary>
/// The Anthropic Messages API (POST {base_url}/v1/messages) as an <see cref="IChatClient"/>, over our HttpClient with
/// source-generated JSON (the official SDK does not run under Native AOT). No retries here: the pipeline owns them.
/// </summary>
internal sealed class AnthropicChatClient(HttpClient http, Uri baseUri, string? apiKey) : IChatClient
{
    public const string ApiVersion = "2023-06-01";

    private readonly Uri _messagesUri = Endpoints.Append(baseUri, "v1/messages");

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var request = AnthropicRequests.Build(messages, options, stream: false);
        using var response = await JsonHttp.PostAsync(http, _messagesUri, request, AnthropicJsonContext.Default.AnthropicRequest,
            headers => AddHeaders(headers, "application/json"), cancellationToken).ConfigureAwait(false);
        var body = await JsonHttp.ReadAsync(response, AnthropicJsonContext.Default.AnthropicResponse, cancellationToken).ConfigureAwait(false);
        return AnthropicResponses.ToChatResponse(body);
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = AnthropicRequests.Build(messages, options, stream: true);
        using var response = await JsonHttp.PostAsync(http, _messagesUri, request, AnthropicJsonContext.Default.AnthropicRequest,
            headers => AddHeaders(headers, "text/event-stream"), cancellationToken).ConfigureAwait(false);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var update in AnthropicStreamReader.ReadAsync(body, cancellationToken).ConfigureAwait(false))
            yield return update;
    }

    private void AddHeaders(HttpRequestHeaders headers, string accept)
    {
        if (!string.IsNullOrEmpty(apiKey)) headers.TryAddWithoutValidation("x-api-key", apiKey);
        headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose() { } // the HttpClient belongs to the provider
}
