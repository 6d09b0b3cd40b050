using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>The primitives behind a host library (<see cref="ILuaHostLibrary"/>) and JSON.</summary>
internal static unsafe partial class LuaPrimitives
{
    /// <summary>Pushes the table a host library's chunk receives.</summary>
    public static void PushHostTable(IntPtr L)
    {
        lua_createtable(L, 0, 5);
        Set(L, "call", &HostCall);
        Set(L, "encode", &JsonEncode);
        Set(L, "decode", &JsonDecode);
        Set(L, "abort", &Pending);
        Set(L, "write", &Out);
    }

    /// <summary>call(op, json) → result (string or nil), or nil, message.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int HostCall(IntPtr L) => Guard(L, static (s, l) =>
    {
        if (s.HostLibrary is not { } library)
        {
            lua_pushnil(l);
            PushStr(l, "no host library is loaded");
            return 2;
        }
        string op = ToStr(l, 1) ?? "";
        string args = ToStr(l, 2) ?? "null";
        string? result;
        try
        {
            result = library.Call(op, args);
        }
        catch (LuaHostException e)
        {
            lua_settop(l, 0);
            lua_pushnil(l);
            PushStr(l, e.Message);
            return 2;
        }
        if (result is null)
            lua_pushnil(l);
        else
            PushStr(l, result);
        return 1;
    });

    /// <summary>encode(v) → JSON text, or nil, message.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int JsonEncode(IntPtr L) => Guard(L, static (s, l) =>
    {
        if (lua_gettop(l) == 0) lua_pushnil(l);
        if (LuaJson.TryEncode(l, 1, out string json, out string? error))
        {
            PushStr(l, json);
            return 1;
        }
        lua_pushnil(l);
        PushStr(l, error!);
        return 2;
    });

    /// <summary>decode(text) → value, or nil, message.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int JsonDecode(IntPtr L) => Guard(L, static (s, l) =>
    {
        if (lua_type(l, 1) != LUA_TSTRING)
        {
            lua_pushnil(l);
            PushStr(l, "JSON.decode expects a string");
            return 2;
        }
        string text = ToStr(l, 1)!;
        if (LuaJson.TryDecode(l, text, out string? error))
            return 1;
        lua_pushnil(l);
        PushStr(l, error!);
        return 2;
    });
}
