using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace LlmSpell.Lua;

/// <summary>
/// Minimal raw bindings to the liblua54 shipped with KeraLua. We bind the C API directly (instead of the
/// KeraLua wrapper) so callbacks can be <see cref="UnmanagedCallersOnly"/> function pointers and no managed
/// frame is ever skipped by a Lua longjmp: managed callbacks never raise Lua errors themselves.
/// </summary>
internal static unsafe partial class LuaNative
{
    private const string Lib = "lua54";

    public const int LUA_OK = 0;
    public const int LUA_ERRRUN = 2;
    public const int LUA_ERRSYNTAX = 3;
    public const int LUA_ERRMEM = 4;
    public const int LUA_MULTRET = -1;
    public const int LUA_REGISTRYINDEX = -1000000 - 1000;

    public const int LUA_TNIL = 0;
    public const int LUA_TBOOLEAN = 1;
    public const int LUA_TNUMBER = 3;
    public const int LUA_TSTRING = 4;
    public const int LUA_TTABLE = 5;

    public const int LUA_GCCOLLECT = 2;

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial IntPtr lua_newstate(delegate* unmanaged[Cdecl]<IntPtr, IntPtr, nuint, nuint, IntPtr> f, IntPtr ud);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial IntPtr luaL_newstate();

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_close(IntPtr L);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void luaL_openlibs(IntPtr L);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_gettop(IntPtr L);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_settop(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_rotate(IntPtr L, int idx, int n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_checkstack(IntPtr L, int n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_type(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* lua_tolstring(IntPtr L, int idx, nuint* len);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushvalue(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushnil(IntPtr L);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushboolean(IntPtr L, int b);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushinteger(IntPtr L, long n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* lua_pushlstring(IntPtr L, byte* s, nuint len);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushcclosure(IntPtr L, delegate* unmanaged[Cdecl]<IntPtr, int> fn, int n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_createtable(IntPtr L, int narr, int nrec);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_rawget(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_rawgeti(IntPtr L, int idx, long n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_rawset(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_rawseti(IntPtr L, int idx, long n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial ulong lua_rawlen(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_pcallk(IntPtr L, int nargs, int nresults, int msgh, IntPtr ctx, IntPtr k);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int luaL_loadbufferx(IntPtr L, byte* buff, nuint size, byte* name, byte* mode);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int luaL_ref(IntPtr L, int t);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_next(IntPtr L, int idx);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial double lua_tonumberx(IntPtr L, int idx, int* isnum);


    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_isinteger(IntPtr L, int idx);


    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void lua_pushnumber(IntPtr L, double n);

    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial IntPtr lua_topointer(IntPtr L, int idx);

    // lua_gc is variadic in 5.4; with integer-only arguments the SysV/Win64 conventions match a plain call.
    [LibraryImport(Lib)] [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int lua_gc(IntPtr L, int what, int arg);

    public static void Pop(IntPtr L, int n) => lua_settop(L, -n - 1);

    public static void Remove(IntPtr L, int idx)
    {
        lua_rotate(L, idx, -1);
        Pop(L, 1);
    }

    public static void Insert(IntPtr L, int idx) => lua_rotate(L, idx, 1);

    public static int PCall(IntPtr L, int nargs, int nresults, int msgh) =>
        lua_pcallk(L, nargs, nresults, msgh, IntPtr.Zero, IntPtr.Zero);

    public static string? ToStr(IntPtr L, int idx)
    {
        nuint len;
        byte* p = lua_tolstring(L, idx, &len);
        return p == null ? null : Encoding.UTF8.GetString(p, checked((int)len));
    }

    public static void PushStr(IntPtr L, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        fixed (byte* p = bytes)
            lua_pushlstring(L, p, (nuint)bytes.Length);
    }

    /// <summary>Compiles without running; on success the function is pushed, otherwise the message is.</summary>
    public static int LoadText(IntPtr L, string code, string chunkName)
    {
        byte[] src = Encoding.UTF8.GetBytes(code);
        byte[] name = Encoding.UTF8.GetBytes(chunkName + "\0");
        byte[] mode = "t\0"u8.ToArray();
        fixed (byte* ps = src)
        fixed (byte* pn = name)
        fixed (byte* pm = mode)
        {
            byte dummy = 0;
            return luaL_loadbufferx(L, src.Length == 0 ? &dummy : ps, (nuint)src.Length, pn, pm);
        }
    }

    /// <summary>The release of the loaded native library, e.g. "5.4.3", or "5.4" when it cannot be read.</summary>
    public static string ReadVersion()
    {
        try
        {
            if (NativeLibrary.TryLoad(Lib, typeof(LuaNative).Assembly, null, out IntPtr lib) &&
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
}
