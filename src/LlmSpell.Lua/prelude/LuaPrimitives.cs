using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Runtime.InteropServices;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// The managed functions the prelude receives as its first argument. They never raise a Lua error (that
/// would longjmp over managed frames): failures come back as (nil, message) for the Lua side to raise.
/// </summary>
internal static unsafe partial class LuaPrimitives
{
    /// <summary>Lets the callbacks find their session: a GC handle in the state's extra space.</summary>
    public static void Bind(IntPtr L, GCHandle session) => Marshal.WriteIntPtr(L - IntPtr.Size, GCHandle.ToIntPtr(session));

    /// <summary>Pushes the table of primitives.</summary>
    public static void Push(IntPtr L)
    {
        lua_createtable(L, 0, 10);
        Set(L, "out", &Out);
        Set(L, "err", &Err);
        Set(L, "read", &Read);
        Set(L, "tick", &Tick);
        Set(L, "pending", &Pending);
        Set(L, "resolve", &Resolve);
        Set(L, "getenv", &GetEnv);
        Set(L, "tmpname", &TmpName);
        Set(L, "pmatch", &PatternMatch);
        Set(L, "pfind", &PlainFind);
    }

    private static void Set(IntPtr L, string name, delegate* unmanaged[Cdecl]<IntPtr, int> fn)
    {
        PushStr(L, name);
        lua_pushcclosure(L, fn, 0);
        lua_rawset(L, -3);
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
        LuaAllocator? memory = null;
        bool enforce = false;
        try
        {
            var session = FromState(L);
            if (session is null || session.Memory.IsFreed)
                return 0;
            memory = session.Memory;
            enforce = memory.Enforce;
            memory.Enforce = false;
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
            if (memory is { IsFreed: false })
                memory.Enforce = enforce;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Out(IntPtr L) => Guard(L, static (s, l) =>
    {
        s.Host.WriteStdout(ToStr(l, 1) ?? "");
        return 0;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Err(IntPtr L) => Guard(L, static (s, l) =>
    {
        s.Host.WriteStderr(ToStr(l, 1) ?? "");
        return 0;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Read(IntPtr L) => Guard(L, static (s, l) =>
    {
        string? line = s.Host.ReadInput("", false);
        if (line is null)
            lua_pushnil(l);
        else
            PushStr(l, line.TrimEnd('\n', '\r'));
        return 1;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Tick(IntPtr L) => Guard(L, static (s, l) => PushAbort(l, s.Limits.Check(countInstructions: true)));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Pending(IntPtr L) => Guard(L, static (s, l) => PushAbort(l, s.Limits.Check(countInstructions: false)));

    private static int PushAbort(IntPtr L, AbortReason? abort)
    {
        if (abort is not { } a)
            return 0;
        PushStr(L, a.Name);
        PushStr(L, a.Message);
        return 2;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Resolve(IntPtr L) => Guard(L, static (s, l) =>
    {
        if (s.Paths.TryResolve(ToStr(l, 1) ?? "", out string? full, out string? error))
        {
            PushStr(l, full);
            return 1;
        }
        lua_pushnil(l);
        PushStr(l, error);
        return 2;
    });

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int GetEnv(IntPtr L) => Guard(L, static (s, l) =>
    {
        if (ToStr(l, 1) is { } name && s.Env.Get(name) is { } value)
            PushStr(l, value);
        else
            lua_pushnil(l);
        return 1;
    });

    /// <summary>Creates a fresh empty file in the working directory and returns its path; with "tmpfile" the
    /// session also removes it at its end.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int TmpName(IntPtr L) => Guard(L, static (s, l) =>
    {
        string path = Path.Combine(s.Paths.Root, ".lua_tmp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
        new FileStream(path, FileMode.CreateNew, FileAccess.Write).Dispose();
        if (ToStr(l, 1) == "tmpfile")
            s.TempFiles.Add(path);
        PushStr(l, path);
        return 1;
    });
}
