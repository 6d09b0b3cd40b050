using System.Globalization;
using static LlmSpell.Lua.LuaNative;

namespace LlmSpell.Lua;

/// <summary>Turns what a failed chunk left behind into the <see cref="LuaError"/> the user sees.</summary>
internal static class LuaErrorFormatter
{
    private const string OutOfMemory = "not enough memory";

    public static LuaError Syntax(string message) => new("SyntaxError", message, ["SyntaxError: " + message]);

    /// <summary>
    /// Names a runtime failure (an abort wins over the error it raised) and keeps the traceback lines of user
    /// code: frames of the prelude and the bare C entry are dropped.
    /// </summary>
    public static LuaError Runtime(int status, string message, string? traceback, AbortReason? abort, bool allocationRefused, long memoryLimit)
    {
        string name;
        if (abort is { } a)
        {
            name = a.Name;
            message = a.Message;
        }
        else if (status == LUA_ERRMEM || message == OutOfMemory ||
                 (allocationRefused && message.EndsWith(OutOfMemory, StringComparison.Ordinal)))
        {
            name = "MemoryError";
            if (memoryLimit > 0)
                message = $"{OutOfMemory} (memory limit of {FormatBytes(memoryLimit)} reached)";
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
                // The abort was raised by the hook's error call, which is not the user's.
                if (abort is not null && lines.Count == 2 && line.Trim() == "[C]: in function 'error'")
                    continue;
                lines.Add(line);
            }
        }
        return new LuaError(name, message, lines);
    }

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30} GiB",
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => $"{bytes} bytes",
    };

    public static string FormatSpan(TimeSpan t) =>
        t.TotalSeconds >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.###} s")
            : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0.#} ms");
}
