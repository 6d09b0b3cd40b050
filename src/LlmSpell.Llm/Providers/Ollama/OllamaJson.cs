using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmSpell.Llm.Providers.Ollama;

// The parts of Ollama's /api/chat (https://github.com/ollama/ollama/blob/main/docs/api.md) we send and read.

internal sealed class OllamaChatRequest
{
    [JsonPropertyName("model")] public string Model { get; set; } = "";
    [JsonPropertyName("messages")] public List<OllamaMessage> Messages { get; set; } = [];
    [JsonPropertyName("tools")] public List<OllamaTool>? Tools { get; set; }

    // Always written: Ollama streams when "stream" is missing.
    [JsonPropertyName("stream")]
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public bool Stream { get; set; }

    [JsonPropertyName("options")] public OllamaOptions? Options { get; set; }
}

internal sealed class OllamaMessage
{
    [JsonPropertyName("role")] public string Role { get; set; } = "";
    [JsonPropertyName("content")] public string? Content { get; set; }
    [JsonPropertyName("tool_calls")] public List<OllamaToolCall>? ToolCalls { get; set; }
    [JsonPropertyName("tool_name")] public string? ToolName { get; set; }
}

internal sealed class OllamaToolCall
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("function")] public OllamaFunctionCall Function { get; set; } = new();
}

internal sealed class OllamaFunctionCall
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("arguments")] public JsonElement? Arguments { get; set; }
}

internal sealed class OllamaTool
{
    [JsonPropertyName("type")] public string Type { get; set; } = "function";
    [JsonPropertyName("function")] public OllamaFunction Function { get; set; } = new();
}

internal sealed class OllamaFunction
{
    [JsonPropertyName("name")] public string Name { get; set; } = "";
    [JsonPropertyName("description")] public string? Description { get; set; }
    [JsonPropertyName("parameters")] public JsonElement Parameters { get; set; }
}

internal sealed class OllamaOptions
{
    [JsonPropertyName("temperature")] public double? Temperature { get; set; }
    [JsonPropertyName("num_predict")] public int? NumPredict { get; set; }
}

/// <summary>The whole response (stream:false) or one NDJSON line (stream:true); the last has done:true and the counts.</summary>
internal sealed class OllamaChatChunk
{
    [JsonPropertyName("model")] public string? Model { get; set; }
    [JsonPropertyName("message")] public OllamaMessage? Message { get; set; }
    [JsonPropertyName("done")] public bool Done { get; set; }
    [JsonPropertyName("done_reason")] public string? DoneReason { get; set; }
    [JsonPropertyName("prompt_eval_count")] public long? PromptEvalCount { get; set; }
    [JsonPropertyName("eval_count")] public long? EvalCount { get; set; }
    [JsonPropertyName("error")] public string? Error { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OllamaChatRequest))]
[JsonSerializable(typeof(OllamaChatChunk))]
internal sealed partial class OllamaJsonContext : JsonSerializerContext;
