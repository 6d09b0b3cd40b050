using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmSpell.Llm.Providers.Anthropic;

// The parts of the Messages API (https://docs.anthropic.com/en/api/messages) we send and read.
// Settable properties with defaults: source generation keeps defaults only for `set` properties.

internal sealed class AnthropicRequest
{
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("max_tokens")] public int MaxTokens { get; set; }
    [JsonPropertyName("system")] public string? System { get; set; }
    [JsonPropertyName("messages")] public List<AnthropicMessage> Messages { get; set; } = [];
    [JsonPropertyName("tools")] public List<AnthropicTool>? Tools { get; set; }
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("stream")] public bool Stream { get; set; }
}

internal sealed class AnthropicMessage
{
    [JsonPropertyName("role")] public string Role { get; set; } = "";
    [JsonPropertyName("content")] public List<AnthropicBlock> Content { get; set; } = [];
}

/// <summary>One content block: text, tool_use or tool_result (only the fields of its type are set).</summary>
internal sealed class AnthropicBlock
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("input")] public JsonElement? Input { get; set; }
    [JsonPropertyName("tool_use_id")] public string? ToolUseId { get; set; }
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("is_error")] public bool? IsError { get; set; }
}

internal sealed class AnthropicTool
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("input_schema")] public JsonElement InputSchema { get; set; }
}

internal sealed class AnthropicResponse
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("content")] public List<AnthropicBlock> Content { get; set; } = [];
    [JsonPropertyName("stop_reason")] public string? StopReason { get; set; }
    [JsonPropertyName("usage")] public AnthropicUsage? Usage { get; set; }
}

internal sealed class AnthropicUsage
{
    [JsonPropertyName("input_tokens")] public long? InputTokens { get; set; }
    [JsonPropertyName("output_tokens")] public long? OutputTokens { get; set; }
}

/// <summary>Any server-sent event: message_start, content_block_start/delta/stop, message_delta, message_stop, ping, error.</summary>
internal sealed class AnthropicStreamEvent
{
    [JsonPropertyName("type")] public string Type { get; set; } = "";
    [JsonPropertyName("message")] public AnthropicResponse? Message { get; set; }
    [JsonPropertyName("index")] public int Index { get; set; }
    [JsonPropertyName("content_block")] public AnthropicBlock? ContentBlock { get; set; }
    [JsonPropertyName("delta")] public AnthropicDelta? Delta { get; set; }
    [JsonPropertyName("usage")] public AnthropicUsage? Usage { get; set; }
    [JsonPropertyName("error")] public AnthropicError? Error { get; set; }
}

internal sealed class AnthropicDelta
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("partial_json")] public string? PartialJson { get; set; }
    [JsonPropertyName("stop_reason")] public string? StopReason { get; set; }
}

internal sealed class AnthropicError
{
    [JsonPropertyName("type")] public string? Type { get; set; }
    [JsonPropertyName("message")] public string? Message { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(AnthropicRequest))]
[JsonSerializable(typeof(AnthropicResponse))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
internal sealed partial class AnthropicJsonContext : JsonSerializerContext;
