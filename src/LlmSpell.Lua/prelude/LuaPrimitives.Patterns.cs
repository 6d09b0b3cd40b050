using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// The pattern primitives behind patterns.lua: the managed matcher, which can be stopped (see
/// <see cref="LuaPatternMatcher"/>). Both take (s, p, init) with s and p strings (or numbers) and init a 1-based
/// start the Lua side has already clamped. On success they return start and end (1-based, inclusive); nothing when
/// there is no match; (nil, message) for a bad pattern and (nil, message, name) when the session says stop.
/// </summary>
internal static unsafe partial class LuaPrimitives
{
    /// <summary>
    /// P.pmatch(s, p, init, anchored, caps): also the capture count and whether a capture is unfinished; the
    /// captures go to caps[1..n] (strings, or integers for position captures, false when unfinished).
    /// </summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PatternMatch(IntPtr L) => Guard(L, static (s, l) => Matching(l, s.Limits, plain: false));

    /// <summary>P.pfind(s, p, init): a plain substring search.</summary>
    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PlainFind(IntPtr L) => Guard(L, static (s, l) => Matching(l, s.Limits, plain: true));

    private static int Matching(IntPtr L, AbortMonitor limits, bool plain)
    {
        nuint sl, pl;
        byte* s = lua_tolstring(L, 1, &sl);
        byte* p = lua_tolstring(L, 2, &pl);
        if (s == null || p == null)
            return Failure(L, "string expected");
        if (sl > int.MaxValue || pl > int.MaxValue)
            return Failure(L, "string too long for pattern matching");
        long init = Math.Max(1, lua_tointegerx(L, 3, null)) - 1;
        if (init > (long)sl)
            return 0;
        var matcher = new LuaPatternMatcher(s, (int)sl, p, (int)pl, limits);
        try
        {
            if (plain)
            {
                int at = matcher.FindPlain((int)init);
                if (at < 0)
                    return 0;
                lua_pushinteger(L, at + 1);
                lua_pushinteger(L, at + (long)pl);
                return 2;
            }
            if (!matcher.Find((int)init, lua_toboolean(L, 4) != 0, out int start, out int end))
                return 0;
            return PushMatch(L, matcher, s, start, end);
        }
        catch (LuaPatternException ex)
        {
            return Failure(L, ex.Message);
        }
        catch (LuaPatternAbortException ex)
        {
            Failure(L, ex.Reason.Message);
            PushStr(L, ex.Reason.Name);
            return 3;
        }
    }

    private static int PushMatch(IntPtr L, LuaPatternMatcher matcher, byte* s, int start, int end)
    {
        bool unfinished = false;
        if (lua_type(L, 5) == LUA_TTABLE)
        {
            lua_checkstack(L, 4);
            for (int i = 0; i < matcher.Level; i++)
            {
                int init = matcher.CaptureInit(i), len = matcher.CaptureLen(i);
                if (len == LuaPatternMatcher.CapPosition)
                    lua_pushinteger(L, init + 1);
                else if (len == LuaPatternMatcher.CapUnfinished)
                {
                    unfinished = true;
                    lua_pushboolean(L, 0);
                }
                else
                    lua_pushlstring(L, s + init, (nuint)len);
                lua_rawseti(L, 5, i + 1);
            }
        }
        lua_checkstack(L, 4);
        lua_pushinteger(L, start + 1);
        lua_pushinteger(L, end);
        lua_pushinteger(L, matcher.Level);
        lua_pushboolean(L, unfinished ? 1 : 0);
        return 4;
    }

    private static int Failure(IntPtr L, string message)
    {
        lua_pushnil(L);
        PushStr(L, message);
        return 2;
    }
}
