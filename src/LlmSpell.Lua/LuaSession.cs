using System.Runtime.InteropServices;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// One persistent Lua 5.4 state. All methods except <see cref="Interrupt"/> must be called from the
/// kernel's single execution thread; Interrupt is safe from any thread.
/// </summary>
/// <remarks>
/// Design: managed callbacks (<see cref="LuaPrimitives"/>) never raise Lua errors (no longjmp over managed
/// frames); they return error strings to the Lua wrappers of the prelude, which raise them. Interrupts, timeouts
/// and instruction limits use a Lua count hook that asks the <see cref="AbortMonitor"/>; memory limits use a
/// native-side allocator that refuses growth beyond the limit while user code runs.
/// </remarks>
public sealed class LuaSession : IDisposable
{
    internal const string CellChunkName = "cell";

    private sealed class NullHost : IExecutionHost
    {
        public static readonly NullHost Instance = new();
        public void WriteStdout(string text) { }
        public void WriteStderr(string text) { }
        public string? ReadInput(string prompt, bool password) => null;
    }

    private static readonly Lazy<string> s_version = new(ReadVersion);

    private IntPtr _L;
    private GCHandle _self;
    private PreludeHelpers _helpers;
    private LuaIntrospection _introspection = null!;
    private bool _disposed;

    public LuaSession(LuaSessionOptions options)
    {
        Paths = new SandboxPaths(options.WorkingDirectory ?? Environment.CurrentDirectory, confine: !options.AllowUnsafe, options.RefusalSuffix);
        Env = new SandboxEnvironment(options.EnvironmentAllowList, confine: !options.AllowUnsafe);
        Limits = new AbortMonitor(options.InstructionLimit, options.InterruptErrorName);
        Memory = new LuaAllocator(options.MemoryLimitBytes);
        _L = Memory.NewState();
        if (_L == IntPtr.Zero)
        {
            Memory.Dispose();
            throw new InvalidOperationException("Could not create a Lua state.");
        }
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        LuaPrimitives.Bind(_L, _self);
        try
        {
            Initialize(options);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Bytes currently held by the Lua allocator.</summary>
    public long MemoryUsedBytes => Memory.Used;

    /// <summary>The real Lua release of the native library, e.g. "5.4.3".</summary>
    public static string LuaVersion => s_version.Value;

    // What the primitives reach the session through.
    internal IExecutionHost Host { get; private set; } = NullHost.Instance;
    internal LuaAllocator Memory { get; }
    internal AbortMonitor Limits { get; }
    internal SandboxPaths Paths { get; }
    internal SandboxEnvironment Env { get; }
    /// <summary>The host's globals (Agent, Tool, ...), or null for plain Lua.</summary>
    internal ILuaHostLibrary? HostLibrary { get; private set; }
    /// <summary>The files of io.tmpfile, removed at the session's end where they could not be unlinked while open.</summary>
    internal List<string> TempFiles { get; } = [];

    private void Initialize(LuaSessionOptions options)
    {
        luaL_openlibs(_L);
        LuaPrimitives.Push(_L);
        lua_createtable(_L, 0, 4);
        PushStr(_L, "unsafe");
        lua_pushboolean(_L, options.AllowUnsafe ? 1 : 0);
        lua_rawset(_L, -3);
        PushStr(_L, "wd");
        PushStr(_L, Paths.Root);
        lua_rawset(_L, -3);
        PushStr(_L, "refusal");
        PushStr(_L, options.RefusalSuffix);
        lua_rawset(_L, -3);
        PushStr(_L, "hookcount");
        lua_pushinteger(_L, Limits.HookCount);
        lua_rawset(_L, -3);
        _helpers = LuaPrelude.Install(_L);
        if (options.HostLibrary is { } create)
            LoadHostLibrary(create());
        _introspection = new LuaIntrospection(_L, _helpers);
    }

    private void LoadHostLibrary(ILuaHostLibrary library)
    {
        HostLibrary = library;
        if (LoadText(_L, library.Source, $"=[llmspell] {library.Name}.lua") != LUA_OK)
            throw new InvalidOperationException($"Lua library {library.Name} failed to compile: " + ToStr(_L, -1));
        LuaPrimitives.PushHostTable(_L);
        _helpers.PushTable();
        if (PCall(_L, 2, 0, 0) != LUA_OK)
            throw new InvalidOperationException($"Lua library {library.Name} failed: " + ToStr(_L, -1));
    }

    // ------------------------------------------------------------------ execution

    /// <summary>Runs a cell. A bare expression (e.g. "1+2") yields its value as ResultText.</summary>
    public ExecutionOutcome Execute(string code, IExecutionHost host, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(code, host, timeout, expressionOnly: false, CellChunkName);
    }

    /// <summary>Runs a whole script file: errors and tracebacks name <paramref name="chunkName"/> (e.g. "job.lua").</summary>
    public ExecutionOutcome ExecuteScript(string code, string chunkName, IExecutionHost host, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(code, host, timeout, expressionOnly: false, chunkName);
    }

    /// <summary>Evaluates an expression for user_expressions without printing; returns its display form.</summary>
    public ExecutionOutcome Evaluate(string expression) => Evaluate(expression, TimeSpan.Zero);

    /// <summary>Evaluates an expression with a time limit (zero = none).</summary>
    public ExecutionOutcome Evaluate(string expression, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(expression, NullHost.Instance, timeout, expressionOnly: true, CellChunkName);
    }

    /// <summary>
    /// Stops the running execution as soon as possible (raises an <see cref="LuaSessionOptions.InterruptErrorName"/>
    /// error in it). An interrupt that arrives before an execution starts stops that execution at once (it is not
    /// lost in the gap between a request arriving and the script starting); the execution it stops consumes it.
    /// </summary>
    public void Interrupt() => Limits.RequestInterrupt();

    /// <summary>Drops a pending interrupt; the kernel calls this when it starts work on a new request.</summary>
    public void ClearInterrupt() => Limits.ClearInterrupt();

    private ExecutionOutcome Run(string code, IExecutionHost host, TimeSpan timeout, bool expressionOnly, string chunkName)
    {
        Host = host;
        Limits.Start(timeout);
        Memory.Refused = false;
        int baseTop = lua_gettop(_L);
        lua_checkstack(_L, 8);
        try
        {
            _helpers.Push("msgh");
            int msgh = lua_gettop(_L);

            if (LoadText(_L, "return " + code, chunkName) != LUA_OK)
            {
                string first = ToStr(_L, -1) ?? "syntax error";
                Pop(_L, 1);
                if (expressionOnly)
                    return ExecutionOutcome.Failed(LuaErrorFormatter.Syntax(first));
                // Like a notebook: the value of a final expression line is the cell's result ("t = {1,2}\n#t").
                if (WithTrailingReturn(code) is not { } tail || LoadText(_L, tail, chunkName) != LUA_OK)
                {
                    lua_settop(_L, msgh);
                    if (LoadText(_L, code, chunkName) != LUA_OK)
                        return ExecutionOutcome.Failed(LuaErrorFormatter.Syntax(ToStr(_L, -1) ?? first));
                }
            }

            Limits.Armed = true;
            Memory.Enforce = true;
            int status = PCall(_L, 0, LUA_MULTRET, msgh);
            if (status != LUA_OK)
                return Failure(status);

            int nresults = lua_gettop(_L) - msgh;
            if (Limits.Abort is not null)
                return Failure(LUA_ERRRUN);
            if (nresults == 0)
                return ExecutionOutcome.Ok(null);

            if (lua_checkstack(_L, 8) == 0)
                return ExecutionOutcome.Ok($"<{nresults} values>");
            _helpers.Push("display");
            Insert(_L, msgh + 1);
            status = PCall(_L, nresults, 2, msgh);
            if (status != LUA_OK)
                return Failure(status);
            return new ExecutionOutcome(true, ToStr(_L, -2), null) { ResultMarkdown = lua_type(_L, -1) == LUA_TSTRING ? ToStr(_L, -1) : null };
        }
        finally
        {
            Limits.Finish();
            Memory.Enforce = false;
            lua_settop(_L, baseTop);
            if (Memory.Refused)
                lua_gc(_L, LUA_GCCOLLECT, 0);
            Host = NullHost.Instance;
            HostLibrary?.ExecutionFinished();
        }
    }

    /// <summary>
    /// The code with its last non-blank line returned, on the same line so error positions stay right;
    /// null when there is a single line or the last line ends with ';' (which, as in IPython, hides the value).
    /// </summary>
    private static string? WithTrailingReturn(string code)
    {
        var trimmed = code.TrimEnd();
        var lastBreak = trimmed.LastIndexOf('\n');
        if (lastBreak < 0) return null;
        var last = trimmed[(lastBreak + 1)..];
        if (last.TrimEnd().EndsWith(';') || last.TrimStart().StartsWith("return", StringComparison.Ordinal)) return null;
        // Parenthesised: one value, and not a tail call, so tracebacks keep the frames of functions it calls.
        return trimmed[..(lastBreak + 1)] + "return (" + last + ")";
    }

    /// <summary>Builds the error outcome from the error value on top of the stack.</summary>
    private ExecutionOutcome Failure(int status)
    {
        // Describing a user's error value may run its __tostring: keep the cell's limits on for that, unless the
        // limits are what stopped the cell (then the value is our own message and a limit would stop its display).
        var guarded = Limits.Abort is null && status == LUA_ERRRUN;
        Limits.Armed = guarded;
        Memory.Enforce = guarded;
        string message = "unknown error";
        string? traceback = null;
        if (status != LUA_OK)
        {
            _helpers.Push("describe");
            Insert(_L, -2);
            if (PCall(_L, 1, 2, 0) == LUA_OK)
            {
                message = ToStr(_L, -2) ?? message;
                traceback = lua_type(_L, -1) == LUA_TSTRING ? ToStr(_L, -1) : null;
            }
            else
                message = status == LUA_ERRMEM ? "not enough memory" : "error object could not be converted";
        }
        return ExecutionOutcome.Failed(LuaErrorFormatter.Runtime(status, message, traceback, Limits.Abort, Memory.Refused, Memory.Limit));
    }

    // ------------------------------------------------------------------ analysis

    public IsCompleteResult IsComplete(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _introspection.IsComplete(code);
    }

    public CompletionResult Complete(string code, int cursorPos)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _introspection.Complete(code, cursorPos);
    }

    public InspectionResult? Inspect(string code, int cursorPos, int detailLevel)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _introspection.Inspect(code, cursorPos, detailLevel);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_L != IntPtr.Zero)
        {
            Memory.Enforce = false;
            lua_close(_L);
            _L = IntPtr.Zero;
        }
        HostLibrary?.Dispose();
        if (_self.IsAllocated)
            _self.Free();
        Memory.Dispose();
        foreach (string path in TempFiles)
        {
            try { File.Delete(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
        }
    }
}
