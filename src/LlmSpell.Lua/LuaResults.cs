namespace LlmSpell.Lua;

public sealed record LuaError(string Name, string Value, IReadOnlyList<string> Traceback);

/// <summary>Outcome of one execution. ResultText is the display form of the value(s) the chunk returned, or null.</summary>
public sealed record ExecutionOutcome(bool Success, string? ResultText, LuaError? Error)
{
    /// <summary>A text/markdown form of the result, when the value has one (an agent's reply).</summary>
    public string? ResultMarkdown { get; init; }

    public static ExecutionOutcome Ok(string? result) => new(true, result, null);
    public static ExecutionOutcome Failed(LuaError error) => new(false, null, error);
}

public enum CompletenessStatus { Complete, Incomplete, Invalid, Unknown }

public sealed record IsCompleteResult(CompletenessStatus Status, string Indent = "");

public sealed record CompletionResult(IReadOnlyList<string> Matches, int CursorStart, int CursorEnd);

public sealed record InspectionResult(string PlainText);
