using System.Reflection;
using System.Text.Json.Nodes;
using LlmSpell.Lua;

namespace LlmSpell.Kernel.Protocol;

/// <summary>kernel_info_reply content (same on shell and control).</summary>
internal static class KernelInfo
{
    public const string Implementation = "llmspell";

    public static string ImplementationVersion { get; } = ResolveVersion();

    private static string ResolveVersion()
    {
        var asm = typeof(KernelInfo).Assembly;
        var info = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(info))
        {
            var plus = info.IndexOf('+');
            return plus >= 0 ? info[..plus] : info;
        }
        return asm.GetName().Version?.ToString(3) ?? "0.0.0";
    }

    public static JsonObject Content() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = WireCodec.ProtocolVersion,
        ["implementation"] = Implementation,
        ["implementation_version"] = ImplementationVersion,
        ["language_info"] = new JsonObject
        {
            ["name"] = "lua",
            ["version"] = LuaSession.LuaVersion,
            ["mimetype"] = "text/x-lua",
            ["file_extension"] = ".lua",
            ["pygments_lexer"] = "lua",
            ["codemirror_mode"] = "lua",
        },
        ["banner"] = $"llmspell {ImplementationVersion} — Lua {LuaSession.LuaVersion} kernel",
        ["help_links"] = new JsonArray(new JsonObject { ["text"] = "Lua 5.4 manual", ["url"] = "https://www.lua.org/manual/5.4/" }),
        ["debugger"] = false,
    };
}

/// <summary>Jupyter cursor positions count Unicode code points; .NET strings count UTF-16 units.</summary>
internal static class CodePoints
{
    public static int ToUtf16Index(string text, int codePoints)
    {
        if (codePoints <= 0) return 0;
        var index = 0;
        for (var cp = 0; cp < codePoints && index < text.Length; cp++)
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        return index;
    }

    public static int FromUtf16Index(string text, int index)
    {
        index = Math.Clamp(index, 0, text.Length);
        var cp = 0;
        for (var i = 0; i < index; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) i++;
            cp++;
        }
        return cp;
    }
}
