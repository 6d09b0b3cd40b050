namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>Why the reply ended, mapped to each provider's word (stop/end_turn, tool_calls/tool_use, length/max_tokens).</summary>
internal enum Finish { Stop, ToolCalls, Length }

/// <summary>
/// The reply the double gives a <see cref="ChatTurn"/>, before any provider format: either text (with its word chunks,
/// already cut to max_tokens) or tool calls, plus usage and the extra delays the directives asked for.
/// </summary>
internal sealed record Reply
{
    public string Text { get; init; } = "";
    public IReadOnlyList<string> TextChunks { get; init; } = [];
    public IReadOnlyList<PlannedToolCall> ToolCalls { get; init; } = [];
    public Finish Finish { get; init; }
    public int InputTokens { get; init; }
    public int OutputTokens { get; init; }
    public TimeSpan ExtraLatency { get; init; }
    public TimeSpan ExtraChunkDelay { get; init; }
}
