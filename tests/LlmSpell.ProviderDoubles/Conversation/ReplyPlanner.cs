namespace LlmSpell.ProviderDoubles.Conversation;

/// <summary>
/// The double's deterministic "model": tool results at the end of the conversation are answered with
/// "tool results: r1; r2"; otherwise the last user text decides: [[call ...]] directives (when tools are declared),
/// then [[reply ...]], else "echo: " + the text without directives. max_tokens cuts text to that many words.
/// </summary>
internal static class ReplyPlanner
{
    public const string ToolResultsPrefix = "tool results: ";
    public const string EchoPrefix = "echo: ";

    public static Reply Plan(ChatTurn turn)
    {
        var directives = Directives.Parse(turn.LastUserText);
        var delays = new Reply
        {
            InputTokens = turn.InputTokens,
            ExtraLatency = TimeSpan.FromMilliseconds(directives.SleepMs),
            ExtraChunkDelay = TimeSpan.FromMilliseconds(directives.SlowMs),
        };

        if (turn.TrailingToolResults is null && turn.HasTools && directives.Calls.Count > 0)
            return delays with { ToolCalls = directives.Calls, Finish = Finish.ToolCalls, OutputTokens = directives.Calls.Count };

        var text = turn.TrailingToolResults is { } results ? ToolResultsPrefix + string.Join("; ", results)
            : directives.Reply ?? EchoPrefix + directives.Rest;
        var chunks = Words.Chunks(text);
        var finish = Finish.Stop;
        if (turn.MaxTokens is { } limit && Words.Count(text) > limit)
        {
            chunks = chunks.Take(limit).ToList();
            text = string.Concat(chunks);
            finish = Finish.Length;
        }
        return delays with { Text = text, TextChunks = chunks, Finish = finish, OutputTokens = Words.Count(text) };
    }
}
