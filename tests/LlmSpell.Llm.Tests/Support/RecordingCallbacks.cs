using System.Collections.Concurrent;

namespace LlmSpell.Llm.Tests.Support;

/// <summary>The script side of a call: records streamed text and tool invocations; tools answer through <see cref="Tool"/>.</summary>
internal sealed class RecordingCallbacks : IChatCallbacks
{
    private readonly ConcurrentQueue<string> _pieces = new();
    private readonly ConcurrentQueue<(string Name, string ArgumentsJson)> _invocations = new();

    /// <summary>Answers each tool call; by default "\"NAME ran\"".</summary>
    public Func<string, string, ToolOutcome> Tool { get; init; } = (name, _) => new ToolOutcome($"\"{name} ran\"", null);

    /// <summary>Called after each streamed piece is recorded (e.g. to cancel mid-stream).</summary>
    public Action<string>? AfterText { get; init; }

    public IReadOnlyList<string> Pieces => _pieces.ToArray();
    public string Streamed => string.Concat(_pieces);
    public IReadOnlyList<(string Name, string ArgumentsJson)> Invocations => _invocations.ToArray();

    public void OnText(string text)
    {
        _pieces.Enqueue(text);
        AfterText?.Invoke(text);
    }

    public Task<ToolOutcome> InvokeToolAsync(string name, string argumentsJson, CancellationToken cancellationToken)
    {
        _invocations.Enqueue((name, argumentsJson));
        return Task.FromResult(Tool(name, argumentsJson));
    }
}
