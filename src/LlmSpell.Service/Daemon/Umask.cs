using LlmSpell.Service.Native;

namespace LlmSpell.Service.Daemon;

/// <summary>The process file-creation mask (umask), e.g. 0o077 from the [daemon] config section.</summary>
public static class Umask
{
    /// <summary>Sets the umask and returns the previous one.</summary>
    public static int Apply(int mask)
    {
        if (mask is < 0 or > 0x1FF)
        {
            throw new ArgumentOutOfRangeException(nameof(mask), mask, "umask must be between 0 and 0o777");
        }

        return Libc.umask(mask);
    }

    /// <summary>Reads the current umask (umask(2) can only be read by setting it).</summary>
    public static int Current()
    {
        var current = Libc.umask(0b000_010_010);
        Libc.umask(current);
        return current;
    }

    /// <summary>Parses "0o077", "0077" or "077" (always octal).</summary>
    public static int Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var digits = text.Trim();
        if (digits.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        if (digits.Length == 0 || digits.Length > 4 || digits.Any(c => c is < '0' or > '7'))
        {
            throw new FormatException($"'{text}' is not an octal umask such as 0o077");
        }

        var value = digits.Aggregate(0, (acc, c) => (acc * 8) + (c - '0'));
        return value <= 0x1FF ? value : throw new FormatException($"'{text}' is larger than 0o777");
    }

    public static string Format(int mask) => "0" + Convert.ToString(mask, 8).PadLeft(3, '0');
}
