using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Ollama;

/// <summary>/api/chat chunks in Microsoft.Extensions.AI terms. Ollama gives tool calls no id, so each gets one here.</summary>
internal static class OllamaResponses
{
    public static List<AIContent> Contents(OllamaMessage? message)
    {
        var contents = new List<AIContent>();
        if (message is null) return contents;
        if (!string.IsNullOrEmpty(message.Content)) contents.Add(new TextContent(message.Content));
        foreach (var call in message.ToolCalls ?? [])
            contents.Add(new FunctionCallContent(call.Id ?? "call_" + Guid.NewGuid().ToString("N")[..12], call.Function.Name,
                call.Function.Arguments is { } arguments ? FunctionArguments.FromElement(arguments) : []));
        return contents;
    }

    public static UsageDetails Usage(OllamaChatChunk chunk) => new()
    {
        InputTokenCount = chunk.PromptEvalCount,
        OutputTokenCount = chunk.EvalCount,
        TotalTokenCount = chunk.PromptEvalCount is null && chunk.EvalCount is null ? null : (chunk.PromptEvalCount ?? 0) + (chunk.EvalCount ?? 0),
    };
}
