namespace LlmSpell.Scripting;

/// <summary>The Lua side of the scripting globals: the embedded lua/*.lua chunks, run in one scope in this order.</summary>
internal static class LuaSource
{
    private static readonly string[] Order = ["core", "json", "agent", "tool", "state", "workflow"];

    private static readonly Lazy<string> s_source = new(() => string.Join("\n", Order.Select(Read)));

    public static string Text => s_source.Value;

    private static string Read(string name)
    {
        using var stream = typeof(LuaSource).Assembly.GetManifestResourceStream($"LlmSpell.Scripting.lua.{name}.lua")
            ?? throw new InvalidOperationException($"Lua chunk {name}.lua is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
