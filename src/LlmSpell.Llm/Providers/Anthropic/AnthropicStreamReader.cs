using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using LlmSpell.Llm.Providers.Http;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Anthropic;

/// <summary>
/// The Messages SSE stream as updates: text deltas as they come, each tool_use once its input JSON is complete
/// (content_block_stop), and at message_stop the finish reason with the usage of message_start and message_delta.
/// </summary>
internal static class AnthropicStreamReader
{
    public static async IAsyncEnumerable<ChatResponseUpdate> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var toolBlocks = new Dictionary<int, (string? Id, string? Name, StringBuilder Json)>();
        long? inputTokens = null, outputTokens = null;
        string? stopReason = null, model = null, responseId = null;
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var streamEvent = Parse(item);
            switch (streamEvent.Type)
            {
                case "message_start":
                    model = streamEvent.Message?.Model;
                    responseId = streamEvent.Message?.Id;
                    inputTokens = streamEvent.Message?.Usage?.InputTokens ?? inputTokens;
                    outputTokens = streamEvent.Message?.Usage?.OutputTokens ?? outputTokens;
                    break;
                case "content_block_start" when streamEvent.ContentBlock is { Type: "tool_use" } block:
                    toolBlocks[streamEvent.Index] = (block.Id, block.Name, new StringBuilder());
                    break;
                case "content_block_start" when streamEvent.ContentBlock is { Type: "text", Text.Length: > 0 } block:
                    yield return Update(new TextContent(block.Text), model, responseId);
                    break;
                case "content_block_delta" when streamEvent.Delta is { Type: "text_delta", Text.Length: > 0 } delta:
                    yield return Update(new TextContent(delta.Text), model, responseId);
                    break;
                case "content_block_delta" when streamEvent.Delta is { Type: "input_json_delta" } delta:
                    if (toolBlocks.TryGetValue(streamEvent.Index, out var partial)) partial.Json.Append(delta.PartialJson);
                    break;
                case "content_block_stop" when toolBlocks.Remove(streamEvent.Index, out var tool):
                    yield return Update(AnthropicResponses.ToolCall(tool.Id, tool.Name, ParseInput(tool.Json.ToString(), tool.Name)), model, responseId);
                    break;
                case "message_delta":
                    stopReason = streamEvent.Delta?.StopReason ?? stopReason;
                    inputTokens = streamEvent.Usage?.InputTokens ?? inputTokens;
                    outputTokens = streamEvent.Usage?.OutputTokens ?? outputTokens;
                    break;
                case "message_stop":
                    yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(AnthropicResponses.Usage(inputTokens, outputTokens))])
                    {
                        FinishReason = FinishReasons.FromAnthropic(stopReason) ?? ChatFinishReason.Stop,
                        ModelId = model,
                        ResponseId = responseId,
                    };
                    yield break;
                case "error":
                    var error = streamEvent.Error;
                    throw new ProviderStatusException(AnthropicResponses.StatusOfErrorType(error?.Type),
                        error?.Message ?? error?.Type ?? "error event without a message", retryAfter: null);
            }
        }
        throw new StreamEndedEarlyException("the stream ended before message_stop");
    }

    private static AnthropicStreamEvent Parse(SseItem<string> item)
    {
        try
        {
            return JsonSerializer.Deserialize(item.Data, AnthropicJsonContext.Default.AnthropicStreamEvent)
                   ?? throw new MalformedResponseException($"event '{item.EventType}' has null data", inStream: true);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException($"event '{item.EventType}' is not the JSON the API defines ({e.Message})", inStream: true, e);
        }
    }

    private static Dictionary<string, object?> ParseInput(string json, string? tool)
    {
        try
        {
            return FunctionArguments.Parse(json);
        }
        catch (JsonException e)
        {
            throw new MalformedResponseException($"the input of tool_use '{tool}' is not a JSON object ({e.Message})", inStream: true, e);
        }
    }

    private static ChatResponseUpdate Update(AIContent content, string? model, string? responseId) =>
        new(ChatRole.Assistant, [content]) { ModelId = model, ResponseId = responseId };
}
