using System.Reflection;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>
/// The Lua code run once per session with full privileges, from the embedded <c>prelude/*.lua</c> files. Each
/// chunk is called with the managed primitives, the options and a private table it shares with the others; the
/// session keeps that table in the registry and calls its helpers (msgh, display, describe, complete, inspect).
/// Scripts cannot reach it.
/// </summary>
internal static class LuaPrelude
{
    /// <summary>Run order: limits wraps pcall before any chunk captures it; patterns replaces the string pattern
    /// functions before any chunk captures them (it needs the debug library); the sandbox defines the path check
    /// stdio uses and hides the debug library; introspection documents the wrappers the others installed.</summary>
    private static readonly string[] Order = ["limits", "patterns", "sandbox", "stdio", "display", "introspection"];

    internal const string ResourcePrefix = "LlmSpell.Lua.prelude.";

    internal sealed record Chunk(string Name, string Source)
    {
        /// <summary>Tracebacks drop, and inspection calls built-in, every frame whose source contains "[llmspell]".</summary>
        public string ChunkName => $"=[llmspell] {Name}.lua";
    }

    private static readonly Lazy<IReadOnlyList<Chunk>> s_chunks = new(() => [.. Order.Select(Read)]);

    public static IReadOnlyList<Chunk> Chunks => s_chunks.Value;

    private static Chunk Read(string name)
    {
        using var stream = typeof(LuaPrelude).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".lua")
            ?? throw new InvalidOperationException($"Lua prelude {name}.lua is not embedded.");
        using var reader = new StreamReader(stream);
        return new Chunk(name, reader.ReadToEnd());
    }

    /// <summary>
    /// Runs every chunk with the primitives and options tables on top of the stack (primitives below options),
    /// pops both and returns the shared table's helpers.
    /// </summary>
    public static PreludeHelpers Install(IntPtr L)
    {
        int options = lua_gettop(L);
        int primitives = options - 1;
        lua_createtable(L, 0, 16);
        int shared = lua_gettop(L);
        foreach (var chunk in Chunks)
        {
            if (LoadText(L, chunk.Source, chunk.ChunkName) != LUA_OK)
                throw new InvalidOperationException($"Lua prelude {chunk.Name}.lua failed to compile: " + ToStr(L, -1));
            lua_pushvalue(L, primitives);
            lua_pushvalue(L, options);
            lua_pushvalue(L, shared);
            if (PCall(L, 3, 0, 0) != LUA_OK)
                throw new InvalidOperationException($"Lua prelude {chunk.Name}.lua failed: " + ToStr(L, -1));
        }
        var helpers = new PreludeHelpers(L, luaL_ref(L, LUA_REGISTRYINDEX));
        lua_settop(L, primitives - 1);
        return helpers;
    }

    /// <summary>Compiles without running, like <c>luac -p</c>; returns the syntax error, or null.</summary>
    public static string? SyntaxError(string source, string chunkName)
    {
        IntPtr L = luaL_newstate();
        if (L == IntPtr.Zero)
            throw new InvalidOperationException("Could not create a Lua state.");
        try
        {
            return LoadText(L, source, chunkName) == LUA_OK ? null : ToStr(L, -1) ?? "unknown error";
        }
        finally
        {
            lua_close(L);
        }
    }
}

/// <summary>The prelude's private table, kept in the registry.</summary>
internal readonly struct PreludeHelpers(IntPtr L, int reference)
{
    /// <summary>Pushes helper M[name] (a Lua function from the prelude).</summary>
    public void Push(string name)
    {
        lua_rawgeti(L, LUA_REGISTRYINDEX, reference);
        PushStr(L, name);
        lua_rawget(L, -2);
        Remove(L, -2);
    }

    /// <summary>Pushes the table itself (for a host library, which runs with the prelude's privileges).</summary>
    public void PushTable() => lua_rawgeti(L, LUA_REGISTRYINDEX, reference);
}
