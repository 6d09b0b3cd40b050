using System.Globalization;
using System.Text;

namespace LlmSpell.Kernel.Logging;

/// <summary>
/// Makes a client-supplied value safe to log: control characters become visible escapes, so a value cannot start a
/// new log line, hide text or send terminal escapes, and the result is bounded in length.
/// </summary>
public static class LogSafe
{
    /// <summary>Longest escaped value logged; longer ones are cut and end in "…".</summary>
    public const int MaxLength = 128;

    public static string Escape(string? value) => Escape(value, MaxLength);

    /// <summary>Escapes control characters and cuts the result at <paramref name="maxLength"/> characters.</summary>
    public static string Escape(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value)) return "";
        if (value.Length <= maxLength && !NeedsEscape(value)) return value;

        var sb = new StringBuilder(Math.Min(value.Length, maxLength) + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            string? piece = c switch
            {
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                '\0' => @"\0",
                _ when c < 0x20 || c == 0x7f => @"\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ when IsOtherUnsafe(value, i) => @"\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => null,
            };
            var length = piece?.Length ?? (char.IsHighSurrogate(c) ? 2 : 1);
            if (sb.Length + length > maxLength) return sb.Append('…').ToString();
            if (piece is not null) sb.Append(piece);
            else
            {
                sb.Append(c);
                if (length == 2) sb.Append(value[++i]);
            }
        }
        return sb.ToString();
    }

    public static bool NeedsEscape(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c < 0x20 || c == 0x7f || IsOtherUnsafe(value, i)) return true;
        }
        return false;
    }

    /// <summary>C1 controls, Unicode line/paragraph separators, bidi overrides and unpaired surrogates.</summary>
    private static bool IsOtherUnsafe(string s, int i)
    {
        var c = s[i];
        if (c is >= '\u0080' and <= '\u009f' or '\u2028' or '\u2029' or >= '\u202a' and <= '\u202e' or >= '\u2066' and <= '\u2069')
            return true;
        if (char.IsHighSurrogate(c)) return i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]);
        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1]));
    }
}
