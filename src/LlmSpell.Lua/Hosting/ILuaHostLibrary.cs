namespace LlmSpell.Lua;

/// <summary>
/// A library of globals a host adds to every Lua session (LLMSpell's Agent, Tool, Workflow, State, JSON).
/// Its Lua source runs once after the prelude with a table of host functions:
/// <c>call(op, json)</c> → result JSON text (or nil, message), <c>encode(v)</c> / <c>decode(s)</c> (JSON),
/// <c>abort()</c> → the pending interrupt or timeout as (name, message), and <c>write(s)</c> (stdout).
/// </summary>
/// <remarks>
/// <see cref="Call"/> runs on the session's execution thread and may block briefly (to wait for work running
/// elsewhere); the Lua side polls <c>abort()</c> between calls so interrupts and timeouts still stop the cell.
/// </remarks>
public interface ILuaHostLibrary : IDisposable
{
    /// <summary>Name for tracebacks ("=[llmspell] NAME.lua").</summary>
    string Name { get; }

    /// <summary>The Lua chunk; it receives the host function table as <c>...</c>.</summary>
    string Source { get; }

    /// <summary>Handles one call from Lua. Return JSON text (or null for nil); throw <see cref="LuaHostException"/>
    /// to raise a Lua error with that message.</summary>
    string? Call(string operation, string argumentsJson);

    /// <summary>Called after every execution, success or not: drop or cancel the work the cell left behind.</summary>
    void ExecutionFinished();
}

/// <summary>An error a host library raises in the calling script, with a message meant for its author.</summary>
public sealed class LuaHostException(string message) : Exception(message);
