namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>A chat request reduced to what decides the double's reply, whichever provider format it came in.</summary>
internal sealed record ChatTurn
{
    public required string Model { get; init; }
    public required bool Stream { get; init; }

    /// <summary>OpenAI <c>stream_options.include_usage</c>: a final usage chunk with no choices.</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The request's output limit (OpenAI max_tokens / max_completion_tokens, Anthropic max_tokens, Ollama num_predict).</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Whether the request declares tools the model may call (and did not forbid them with tool_choice "none").</summary>
    public bool HasTools { get; init; }

    /// <summary>The text of the last user message that has text (directives included), or null when there is none.</summary>
    public string? LastUserText { get; init; }

    /// <summary>The contents of the tool results that end the conversation, in order; null when it does not end with tool results.</summary>
    public IReadOnlyList<string>? TrailingToolResults { get; init; }

    /// <summary>Whitespace-separated words over all system and message text.</summary>
    public int InputTokens { get; init; }
}
