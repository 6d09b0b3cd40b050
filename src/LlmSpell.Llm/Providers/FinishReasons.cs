using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers;

/// <summary>Provider stop reasons in OpenAI's words (what scripts see as finish_reason).</summary>
internal static class FinishReasons
{
    public static ChatFinishReason? FromAnthropic(string? stopReason) => stopReason switch
    {
        null => null,
        "end_turn" or "stop_sequence" => ChatFinishReason.Stop,
        "tool_use" => ChatFinishReason.ToolCalls,
        "max_tokens" => ChatFinishReason.Length,
        "refusal" => ChatFinishReason.ContentFilter,
        _ => new ChatFinishReason(stopReason),
    };

    /// <summary>Ollama says "stop" even when it calls tools, so the calls decide.</summary>
    public static ChatFinishReason FromOllama(string? doneReason, bool calledTools) =>
        calledTools ? ChatFinishReason.ToolCalls
        : doneReason switch
        {
            null or "" or "stop" => ChatFinishReason.Stop,
            "length" => ChatFinishReason.Length,
            _ => new ChatFinishReason(doneReason),
        };
}
