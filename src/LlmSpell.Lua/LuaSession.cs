namespace LlmSpell.Lua;

/// <summary>
/// One persistent Lua 5.4 state. All methods except <see cref="Interrupt"/> must be called from the
/// kernel's single execution thread; Interrupt is safe from any thread.
/// </summary>
public sealed class LuaSession : IDisposable
{
    public LuaSession(LuaSessionOptions options) => Options = options;

    public LuaSessionOptions Options { get; }

    /// <summary>Runs a cell. A bare expression (e.g. "1+2") yields its value as ResultText.</summary>
    public ExecutionOutcome Execute(string code, IExecutionHost host, TimeSpan timeout) =>
        throw new NotImplementedException();

    /// <summary>Evaluates an expression for user_expressions without printing; returns its display form.</summary>
    public ExecutionOutcome Evaluate(string expression) => throw new NotImplementedException();

    /// <summary>Stops the running execution as soon as possible (raises a "KeyboardInterrupt" error in it).</summary>
    public void Interrupt() => throw new NotImplementedException();

    public IsCompleteResult IsComplete(string code) => throw new NotImplementedException();

    public CompletionResult Complete(string code, int cursorPos) => throw new NotImplementedException();

    public InspectionResult? Inspect(string code, int cursorPos, int detailLevel) => throw new NotImplementedException();

    public static string LuaVersion => "5.4";

    public void Dispose() { }
}
