using LlmSpell.Llm;
using LlmSpell.Lua;
using LlmSpell.State;
using LlmSpell.Tools;

namespace LlmSpell.Scripting;

/// <summary>
/// What every Lua session of one process shares: the providers, the state store and the built-in tools.
/// Each session gets its own <see cref="ScriptingLibrary"/> (its agents, tools and calls in flight).
/// </summary>
public sealed class ScriptingServices : IDisposable
{
    private readonly Lazy<IStateStore> _state;

    /// <param name="openState">Opens the state store on first use (nothing touches the disk before a script does).</param>
    public ScriptingServices(ScriptingOptions options, LlmRuntime llm, Func<IStateStore> openState, IReadOnlyList<IBuiltinTool> tools)
    {
        Options = options;
        Llm = llm;
        _state = new Lazy<IStateStore>(openState, LazyThreadSafetyMode.ExecutionAndPublication);
        BuiltinTools = tools;
    }

    public ScriptingOptions Options { get; }
    public LlmRuntime Llm { get; }
    public IReadOnlyList<IBuiltinTool> BuiltinTools { get; }

    /// <summary>The state store, opened on first use; its errors reach the script that asked.</summary>
    internal IStateStore State => _state.Value;

    /// <summary>A new session's library: ARGS from <paramref name="arguments"/> (empty in a kernel).</summary>
    public ILuaHostLibrary CreateLibrary(string workingDirectory, ScriptArguments? arguments = null) =>
        new ScriptingLibrary(this, workingDirectory, arguments ?? ScriptArguments.Empty);

    public void Dispose()
    {
        if (_state.IsValueCreated) _state.Value.Dispose();
    }
}
