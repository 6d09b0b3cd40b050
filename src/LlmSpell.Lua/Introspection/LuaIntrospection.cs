using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// What the front end asks about code without running it: completeness, completions and inspection.
/// Completions and inspection read the live state through the prelude's raw-access helpers.
/// </summary>
internal sealed class LuaIntrospection(IntPtr L, PreludeHelpers helpers)
{
    public IsCompleteResult IsComplete(string code)
    {
        if (string.IsNullOrWhiteSpace(code))
            return new IsCompleteResult(CompletenessStatus.Complete);
        int top = lua_gettop(L);
        try
        {
            if (LoadText(L, "return " + code, LuaSession.CellChunkName) == LUA_OK)
                return new IsCompleteResult(CompletenessStatus.Complete);
            string asExpression = ToStr(L, -1) ?? "";
            lua_settop(L, top);
            int status = LoadText(L, code, LuaSession.CellChunkName);
            if (status == LUA_OK)
                return new IsCompleteResult(CompletenessStatus.Complete);
            if (status != LUA_ERRSYNTAX)
                return new IsCompleteResult(CompletenessStatus.Unknown);
            string asChunk = ToStr(L, -1) ?? "";
            if (asChunk.EndsWith("near <eof>", StringComparison.Ordinal) || asExpression.EndsWith("near <eof>", StringComparison.Ordinal))
            {
                int depth = Math.Max(1, CodeScanner.OpenBlockDepth(code));
                return new IsCompleteResult(CompletenessStatus.Incomplete, new string(' ', 2 * depth));
            }
            return new IsCompleteResult(CompletenessStatus.Invalid);
        }
        finally
        {
            lua_settop(L, top);
        }
    }

    public CompletionResult Complete(string code, int cursorPos)
    {
        cursorPos = Math.Clamp(cursorPos, 0, code.Length);
        var chain = CodeScanner.ChainBefore(code, cursorPos);
        if (chain is null)
            return new CompletionResult([], cursorPos, cursorPos);
        int top = lua_gettop(L);
        try
        {
            helpers.Push("complete");
            PushParts(chain.Parts);
            PushStr(L, chain.Prefix);
            if (chain.Separator is { } sep) PushStr(L, sep.ToString()); else lua_pushnil(L);
            lua_pushboolean(L, chain.StringBase ? 1 : 0);
            var matches = new List<string>();
            if (PCall(L, 4, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TTABLE)
            {
                long n = (long)lua_rawlen(L, -1);
                for (long i = 1; i <= n; i++)
                {
                    lua_rawgeti(L, -1, i);
                    if (ToStr(L, -1) is { } s) matches.Add(s);
                    Pop(L, 1);
                }
            }
            matches.Sort(StringComparer.Ordinal);
            return new CompletionResult(matches, chain.PrefixStart, cursorPos);
        }
        finally
        {
            lua_settop(L, top);
        }
    }

    public InspectionResult? Inspect(string code, int cursorPos, int detailLevel)
    {
        if (CodeScanner.NameAt(code, cursorPos) is not { } found)
            return null;
        var (chain, end) = found;
        var parts = chain.Separator is null ? new List<string> { chain.Prefix } : [.. chain.Parts, chain.Prefix];
        string display = code[chain.Start..end];
        int top = lua_gettop(L);
        try
        {
            helpers.Push("inspect");
            PushParts(parts);
            lua_pushboolean(L, chain.StringBase ? 1 : 0);
            PushStr(L, display);
            lua_pushinteger(L, detailLevel);
            if (PCall(L, 4, 1, 0) != LUA_OK || lua_type(L, -1) != LUA_TSTRING)
                return null;
            return ToStr(L, -1) is { } text ? new InspectionResult(text) : null;
        }
        finally
        {
            lua_settop(L, top);
        }
    }

    private void PushParts(IReadOnlyList<string> parts)
    {
        lua_createtable(L, parts.Count, 0);
        for (int i = 0; i < parts.Count; i++)
        {
            PushStr(L, parts[i]);
            lua_rawseti(L, -2, i + 1);
        }
    }
}
