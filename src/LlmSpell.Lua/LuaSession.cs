using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// One persistent Lua 5.4 state. All methods except <see cref="Interrupt"/> must be called from the
/// kernel's single execution thread; Interrupt is safe from any thread.
/// </summary>
/// <remarks>
/// Design: managed callbacks never raise Lua errors (no longjmp over managed frames). They return error
/// strings to small Lua wrappers (see <see cref="LuaPrelude"/>) that raise them. Interrupts, timeouts and
/// instruction limits use a Lua count hook that asks the session whether to abort; memory limits use a
/// native-side allocator that refuses growth beyond the limit while user code runs.
/// </remarks>
public sealed unsafe class LuaSession : IDisposable
{
    internal const string CellChunkName = "cell";
    private const int HookInterval = 1000;

    [StructLayout(LayoutKind.Sequential)]
    private struct AllocState
    {
        public long Used;
        public long Limit;
        public int Enforce;
        public int Refused;
    }

    private sealed class NullHost : IExecutionHost
    {
        public static readonly NullHost Instance = new();
        public void WriteStdout(string text) { }
        public void WriteStderr(string text) { }
        public string? ReadInput(string prompt, bool password) => null;
    }

    private IntPtr _L;
    private AllocState* _alloc;
    private GCHandle _self;
    private PreludeHelpers _helpers;
    private readonly SandboxPaths _paths;
    private readonly int _hookCount;
    private bool _disposed;

    private IExecutionHost _host = NullHost.Instance;
    private volatile bool _interruptRequested;
    private bool _armed;
    private long _instructions;
    private long _deadline = long.MaxValue;
    private TimeSpan _timeout;
    private (string Name, string Message)? _abort;

    public LuaSession(LuaSessionOptions options)
    {
        Options = options;
        _paths = new SandboxPaths(options.WorkingDirectory ?? Environment.CurrentDirectory, confine: !options.AllowUnsafe, options.RefusalSuffix);
        _hookCount = options.InstructionLimit > 0 ? (int)Math.Clamp(options.InstructionLimit, 1, HookInterval) : HookInterval;

        _alloc = (AllocState*)NativeMemory.AllocZeroed((nuint)sizeof(AllocState));
        _alloc->Limit = Math.Max(0, options.MemoryLimitBytes);
        _L = lua_newstate(&Allocate, (IntPtr)_alloc);
        if (_L == IntPtr.Zero)
        {
            NativeMemory.Free(_alloc);
            _alloc = null;
            throw new InvalidOperationException("Could not create a Lua state.");
        }
        _self = GCHandle.Alloc(this, GCHandleType.Normal);
        Marshal.WriteIntPtr(_L - IntPtr.Size, GCHandle.ToIntPtr(_self));
        try
        {
            Initialize();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public LuaSessionOptions Options { get; }

    /// <summary>Bytes currently held by the Lua allocator.</summary>
    public long MemoryUsedBytes => _alloc == null ? 0 : _alloc->Used;

    /// <summary>The real Lua release of the native library, e.g. "5.4.3".</summary>
    public static string LuaVersion => s_version.Value;

    private static readonly Lazy<string> s_version = new(ReadNativeVersion);

    private void Initialize()
    {
        luaL_openlibs(_L);
        lua_createtable(_L, 0, 8);
        SetFunction("out", &PrimOut);
        SetFunction("err", &PrimErr);
        SetFunction("read", &PrimRead);
        SetFunction("tick", &PrimTick);
        SetFunction("pending", &PrimPending);
        SetFunction("resolve", &PrimResolve);
        lua_createtable(_L, 0, 4);
        PushStr(_L, "unsafe");
        lua_pushboolean(_L, Options.AllowUnsafe ? 1 : 0);
        lua_rawset(_L, -3);
        PushStr(_L, "wd");
        PushStr(_L, _paths.Root);
        lua_rawset(_L, -3);
        PushStr(_L, "refusal");
        PushStr(_L, Options.RefusalSuffix);
        lua_rawset(_L, -3);
        PushStr(_L, "hookcount");
        lua_pushinteger(_L, _hookCount);
        lua_rawset(_L, -3);
        _helpers = LuaPrelude.Install(_L);
    }

    private void SetFunction(string name, delegate* unmanaged[Cdecl]<IntPtr, int> fn)
    {
        PushStr(_L, name);
        lua_pushcclosure(_L, fn, 0);
        lua_rawset(_L, -3);
    }

    // ------------------------------------------------------------------ execution

    /// <summary>Runs a cell. A bare expression (e.g. "1+2") yields its value as ResultText.</summary>
    public ExecutionOutcome Execute(string code, IExecutionHost host, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(host);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(code, host, timeout, expressionOnly: false);
    }

    /// <summary>Evaluates an expression for user_expressions without printing; returns its display form.</summary>
    public ExecutionOutcome Evaluate(string expression) => Evaluate(expression, TimeSpan.Zero);

    /// <summary>Evaluates an expression with a time limit (zero = none).</summary>
    public ExecutionOutcome Evaluate(string expression, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Run(expression, NullHost.Instance, timeout, expressionOnly: true);
    }

    /// <summary>Stops the running execution as soon as possible (raises an <see cref="LuaSessionOptions.InterruptErrorName"/> error in it).</summary>
    /// An interrupt that arrives before an execution starts stops that execution at once (it is not lost in the gap
    /// between a request arriving and the script starting); the execution it stops consumes it.
    public void Interrupt() => _interruptRequested = true;

    /// <summary>Drops a pending interrupt; the kernel calls this when it starts work on a new request.</summary>
    public void ClearInterrupt() => _interruptRequested = false;

    private ExecutionOutcome Run(string code, IExecutionHost host, TimeSpan timeout, bool expressionOnly)
    {
        _host = host;
        _abort = null;
        _instructions = 0;
        _timeout = timeout;
        _deadline = timeout > TimeSpan.Zero
            ? Stopwatch.GetTimestamp() + (long)Math.Min(timeout.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4)
            : long.MaxValue;
        _alloc->Refused = 0;
        int baseTop = lua_gettop(_L);
        lua_checkstack(_L, 8);
        try
        {
            _helpers.Push("msgh");
            int msgh = lua_gettop(_L);

            if (LoadText(_L, "return " + code, CellChunkName) != LUA_OK)
            {
                string first = ToStr(_L, -1) ?? "syntax error";
                Pop(_L, 1);
                if (expressionOnly)
                    return SyntaxError(first);
                // Like a notebook: the value of a final expression line is the cell's result ("t = {1,2}\n#t").
                if (WithTrailingReturn(code) is not { } tail || LoadText(_L, tail, CellChunkName) != LUA_OK)
                {
                    lua_settop(_L, msgh);
                    if (LoadText(_L, code, CellChunkName) != LUA_OK)
                        return SyntaxError(ToStr(_L, -1) ?? first);
                }
            }

            _armed = true;
            _alloc->Enforce = 1;
            int status = PCall(_L, 0, LUA_MULTRET, msgh);
            if (status != LUA_OK)
                return Failure(status);

            int nresults = lua_gettop(_L) - msgh;
            if (_abort is not null)
                return Failure(LUA_ERRRUN);
            if (nresults == 0)
                return ExecutionOutcome.Ok(null);

            if (lua_checkstack(_L, 8) == 0)
                return ExecutionOutcome.Ok($"<{nresults} values>");
            _helpers.Push("display");
            Insert(_L, msgh + 1);
            status = PCall(_L, nresults, 1, msgh);
            if (status != LUA_OK)
                return Failure(status);
            return ExecutionOutcome.Ok(ToStr(_L, -1));
        }
        finally
        {
            _armed = false;
            _interruptRequested = false;
            _alloc->Enforce = 0;
            lua_settop(_L, baseTop);
            if (_alloc->Refused != 0)
                lua_gc(_L, LUA_GCCOLLECT, 0);
            _host = NullHost.Instance;
        }
    }

    /// <summary>
    /// The code with its last non-blank line returned, on the same line so error positions stay right;
    /// null when there is a single line or the last line ends with ';' (which, as in IPython, hides the value).
    /// </summary>
    internal static string? WithTrailingReturn(string code)
    {
        var trimmed = code.TrimEnd();
        var lastBreak = trimmed.LastIndexOf('\n');
        if (lastBreak < 0) return null;
        var last = trimmed[(lastBreak + 1)..];
        if (last.TrimEnd().EndsWith(';') || last.TrimStart().StartsWith("return", StringComparison.Ordinal)) return null;
        // Parenthesised: one value, and not a tail call, so tracebacks keep the frames of functions it calls.
        return trimmed[..(lastBreak + 1)] + "return (" + last + ")";
    }

    private static ExecutionOutcome SyntaxError(string message) =>
        ExecutionOutcome.Failed(new LuaError("SyntaxError", message, ["SyntaxError: " + message]));

    /// <summary>Builds the error outcome from the error value on top of the stack.</summary>
    private ExecutionOutcome Failure(int status)
    {
        _armed = false;
        _alloc->Enforce = 0;
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

        string name;
        if (_abort is { } abort)
        {
            name = abort.Name;
            message = abort.Message;
        }
        else if (status == LUA_ERRMEM || message == "not enough memory" ||
                 (_alloc->Refused != 0 && message.EndsWith("not enough memory", StringComparison.Ordinal)))
        {
            name = "MemoryError";
            if (_alloc->Limit > 0)
                message = $"not enough memory (memory limit of {FormatBytes(_alloc->Limit)} reached)";
        }
        else
            name = "LuaError";

        var lines = new List<string> { $"{name}: {message}" };
        if (traceback is not null)
        {
            foreach (string raw in traceback.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.Length == 0 || line.Contains("[llmspell]", StringComparison.Ordinal) || line.Trim() == "[C]: in ?")
                    continue;
                if (_abort is not null && lines.Count == 2 && line.Trim() == "[C]: in function 'error'")
                    continue;
                lines.Add(line);
            }
        }
        return ExecutionOutcome.Failed(new LuaError(name, message, lines));
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => $"{bytes} bytes",
    };

    private static string FormatSpan(TimeSpan t) =>
        t.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###} s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.#} ms");

    /// <summary>Decides (on the execution thread) whether the running script must stop.</summary>
    private (string Name, string Message)? CheckAbort(bool countInstructions)
    {
        if (!_armed)
            return null;
        if (countInstructions)
            _instructions += _hookCount;
        if (_abort is null)
        {
            if (_interruptRequested)
                _abort = (Options.InterruptErrorName, "execution interrupted");
            else if (Options.InstructionLimit > 0 && _instructions >= Options.InstructionLimit)
                _abort = ("InstructionLimitError", $"instruction limit of {Options.InstructionLimit} exceeded");
            else if (_deadline != long.MaxValue && Stopwatch.GetTimestamp() > _deadline)
                _abort = ("TimeoutError", $"execution exceeded the time limit of {FormatSpan(_timeout)}");
        }
        return _abort;
    }

    // ------------------------------------------------------------------ analysis

    public IsCompleteResult IsComplete(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (string.IsNullOrWhiteSpace(code))
            return new IsCompleteResult(CompletenessStatus.Complete);
        int top = lua_gettop(_L);
        try
        {
            if (LoadText(_L, "return " + code, CellChunkName) == LUA_OK)
                return new IsCompleteResult(CompletenessStatus.Complete);
            string asExpression = ToStr(_L, -1) ?? "";
            lua_settop(_L, top);
            int status = LoadText(_L, code, CellChunkName);
            if (status == LUA_OK)
                return new IsCompleteResult(CompletenessStatus.Complete);
            if (status != LUA_ERRSYNTAX)
                return new IsCompleteResult(CompletenessStatus.Unknown);
            string asChunk = ToStr(_L, -1) ?? "";
            if (asChunk.EndsWith("near <eof>", StringComparison.Ordinal) || asExpression.EndsWith("near <eof>", StringComparison.Ordinal))
            {
                int depth = Math.Max(1, CodeScanner.OpenBlockDepth(code));
                return new IsCompleteResult(CompletenessStatus.Incomplete, new string(' ', 2 * depth));
            }
            return new IsCompleteResult(CompletenessStatus.Invalid);
        }
        finally
        {
            lua_settop(_L, top);
        }
    }

    public CompletionResult Complete(string code, int cursorPos)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cursorPos = Math.Clamp(cursorPos, 0, code.Length);
        var chain = CodeScanner.ChainBefore(code, cursorPos);
        if (chain is null)
            return new CompletionResult([], cursorPos, cursorPos);
        int top = lua_gettop(_L);
        try
        {
            _helpers.Push("complete");
            PushParts(chain.Parts);
            PushStr(_L, chain.Prefix);
            if (chain.Separator is { } sep) PushStr(_L, sep.ToString()); else lua_pushnil(_L);
            lua_pushboolean(_L, chain.StringBase ? 1 : 0);
            var matches = new List<string>();
            if (PCall(_L, 4, 1, 0) == LUA_OK && lua_type(_L, -1) == LUA_TTABLE)
            {
                long n = (long)lua_rawlen(_L, -1);
                for (long i = 1; i <= n; i++)
                {
                    lua_rawgeti(_L, -1, i);
                    if (ToStr(_L, -1) is { } s) matches.Add(s);
                    Pop(_L, 1);
                }
            }
            matches.Sort(StringComparer.Ordinal);
            return new CompletionResult(matches, chain.PrefixStart, cursorPos);
        }
        finally
        {
            lua_settop(_L, top);
        }
    }

    public InspectionResult? Inspect(string code, int cursorPos, int detailLevel)
    {
        ArgumentNullException.ThrowIfNull(code);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (CodeScanner.NameAt(code, cursorPos) is not { } found)
            return null;
        var (chain, end) = found;
        var parts = chain.Separator is null ? new List<string> { chain.Prefix } : [.. chain.Parts, chain.Prefix];
        string display = code[chain.Start..end];
        int top = lua_gettop(_L);
        try
        {
            _helpers.Push("inspect");
            PushParts(parts);
            lua_pushboolean(_L, chain.StringBase ? 1 : 0);
            PushStr(_L, display);
            lua_pushinteger(_L, detailLevel);
            if (PCall(_L, 4, 1, 0) != LUA_OK || lua_type(_L, -1) != LUA_TSTRING)
                return null;
            return ToStr(_L, -1) is { } text ? new InspectionResult(text) : null;
        }
        finally
        {
            lua_settop(_L, top);
        }
    }

    private void PushParts(IReadOnlyList<string> parts)
    {
        lua_createtable(_L, parts.Count, 0);
        for (int i = 0; i < parts.Count; i++)
        {
            PushStr(_L, parts[i]);
            lua_rawseti(_L, -2, i + 1);
        }
    }

    // ------------------------------------------------------------------ native callbacks

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static IntPtr Allocate(IntPtr ud, IntPtr ptr, nuint osize, nuint nsize)
    {
        var s = (AllocState*)ud;
        if (nsize == 0)
        {
            if (ptr != IntPtr.Zero)
            {
                NativeMemory.Free((void*)ptr);
                s->Used -= (long)osize;
            }
            return IntPtr.Zero;
        }
        long old = ptr == IntPtr.Zero ? 0 : (long)osize;
        long delta = (long)nsize - old;
        if (delta > 0 && s->Limit > 0 && s->Enforce != 0 && s->Used + delta > s->Limit)
        {
            s->Refused = 1;
            return IntPtr.Zero;
        }
        void* p;
        try
        {
            p = NativeMemory.Realloc((void*)ptr, nsize);
        }
        catch (OutOfMemoryException)
        {
            // Never let an exception escape a native callback; Lua turns NULL into a memory error.
            return IntPtr.Zero;
        }
        if (p == null)
            return IntPtr.Zero;
        s->Used += delta;
        return (IntPtr)p;
    }

    private static LuaSession? FromState(IntPtr L)
    {
        IntPtr h = Marshal.ReadIntPtr(L - IntPtr.Size);
        return h == IntPtr.Zero ? null : GCHandle.FromIntPtr(h).Target as LuaSession;
    }

    /// <summary>
    /// Runs a primitive body with the memory limit relaxed (a refused allocation inside a managed frame would
    /// longjmp over it). Exceptions become an error string returned to the Lua wrapper.
    /// </summary>
    private static int Guard(IntPtr L, Func<LuaSession, IntPtr, int> body)
    {
        LuaSession? session = null;
        int enforce = 0;
        try
        {
            session = FromState(L);
            if (session is null || session._alloc == null)
                return 0;
            enforce = session._alloc->Enforce;
            session._alloc->Enforce = 0;
            return body(session, L);
        }
        catch (Exception ex)
        {
            lua_settop(L, 0);
            lua_pushnil(L);
            PushStr(L, $"host error: {ex.Message}");
            return 2;
        }
        finally
        {
            if (session is not null && session._alloc != null)
                session._alloc->Enforce = enforce;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimOut(IntPtr L) => Guard(L, static (s, l) =>
    {
        s._host.WriteStdout(ToStr(l, 1) ?? "");
        return 0;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimErr(IntPtr L) => Guard(L, static (s, l) =>
    {
        s._host.WriteStderr(ToStr(l, 1) ?? "");
        return 0;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimRead(IntPtr L) => Guard(L, static (s, l) =>
    {
        string? line = s._host.ReadInput("", false);
        if (line is null)
            lua_pushnil(l);
        else
            PushStr(l, line.TrimEnd('\n', '\r'));
        return 1;
    });

    private static int PushAbort(IntPtr L, (string Name, string Message)? abort)
    {
        if (abort is not { } a)
            return 0;
        PushStr(L, a.Name);
        PushStr(L, a.Message);
        return 2;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimTick(IntPtr L) => Guard(L, static (s, l) => PushAbort(l, s.CheckAbort(countInstructions: true)));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimPending(IntPtr L) => Guard(L, static (s, l) => PushAbort(l, s.CheckAbort(countInstructions: false)));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PrimResolve(IntPtr L) => Guard(L, static (s, l) =>
    {
        string path = ToStr(l, 1) ?? "";
        if (s._paths.TryResolve(path, out string? full, out string? error))
        {
            PushStr(l, full);
            return 1;
        }
        lua_pushnil(l);
        PushStr(l, error);
        return 2;
    });

    // ------------------------------------------------------------------ version / disposal

    private static string ReadNativeVersion()
    {
        try
        {
            if (NativeLibrary.TryLoad("lua54", typeof(LuaSession).Assembly, null, out IntPtr lib) &&
                NativeLibrary.TryGetExport(lib, "lua_ident", out IntPtr ident) &&
                Marshal.PtrToStringAnsi(ident) is { } text &&
                Regex.Match(text, @"Lua (\d+\.\d+\.\d+)") is { Success: true } m)
                return m.Groups[1].Value;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException)
        {
        }
        return "5.4";
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        if (_L != IntPtr.Zero)
        {
            _alloc->Enforce = 0;
            lua_close(_L);
            _L = IntPtr.Zero;
        }
        if (_self.IsAllocated)
            _self.Free();
        if (_alloc != null)
        {
            NativeMemory.Free(_alloc);
            _alloc = null;
        }
    }
}
