namespace LlmSpell.Lua;

/// <summary>Lightweight lexical helpers for is_complete indentation and completion/inspection targets.</summary>
internal static class CodeScanner
{
    internal sealed record Chain(IReadOnlyList<string> Parts, string Prefix, char? Separator, bool StringBase, int Start, int PrefixStart);

    public static bool IsIdentChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    /// <summary>Number of blocks/brackets left open at the end of the code (strings and comments skipped).</summary>
    public static int OpenBlockDepth(string code)
    {
        int depth = 0, i = 0, n = code.Length;
        while (i < n)
        {
            char c = code[i];
            if (c == '-' && i + 1 < n && code[i + 1] == '-')
            {
                i += 2;
                int level = LongBracketLevel(code, i);
                if (level >= 0)
                    i = SkipLongBracket(code, i, level);
                else
                    while (i < n && code[i] != '\n') i++;
            }
            else if (c == '"' || c == '\'')
            {
                i++;
                while (i < n && code[i] != c && code[i] != '\n')
                    i += code[i] == '\\' ? 2 : 1;
                i++;
            }
            else if (c == '[')
            {
                int level = LongBracketLevel(code, i);
                if (level >= 0)
                    i = SkipLongBracket(code, i, level);
                else
                {
                    depth++;
                    i++;
                }
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                int s = i;
                while (i < n && IsIdentChar(code[i])) i++;
                switch (code[s..i])
                {
                    case "function" or "if" or "do" or "repeat": depth++; break;
                    case "end" or "until": depth--; break;
                }
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < n && (IsIdentChar(code[i]) || code[i] == '.')) i++;
            }
            else
            {
                if (c is '(' or '{') depth++;
                else if (c is ')' or '}' or ']') depth--;
                i++;
            }
        }
        return Math.Max(depth, 0);
    }

    /// <summary>Returns the level of a long bracket opening at i ("[[" = 0, "[=[" = 1), or -1.</summary>
    private static int LongBracketLevel(string code, int i)
    {
        if (i >= code.Length || code[i] != '[') return -1;
        int j = i + 1, level = 0;
        while (j < code.Length && code[j] == '=') { level++; j++; }
        return j < code.Length && code[j] == '[' ? level : -1;
    }

    private static int SkipLongBracket(string code, int i, int level)
    {
        string close = "]" + new string('=', level) + "]";
        int at = code.IndexOf(close, i + level + 2, StringComparison.Ordinal);
        return at < 0 ? code.Length : at + close.Length;
    }

    /// <summary>
    /// Parses the identifier chain ending at <paramref name="cursor"/>: e.g. "string.fo" gives parts ["string"],
    /// separator '.', prefix "fo". Returns null where no completion makes sense (numbers, odd syntax).
    /// </summary>
    public static Chain? ChainBefore(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int i = cursor;
        while (i > 0 && IsIdentChar(code[i - 1])) i--;
        string prefix = code[i..cursor];
        if (prefix.Length > 0 && char.IsAsciiDigit(prefix[0])) return null;
        var parts = new List<string>();
        char? sep = null;
        bool stringBase = false;
        int start = i;
        if (i > 0 && (code[i - 1] == '.' || code[i - 1] == ':') && !(code[i - 1] == '.' && i > 1 && code[i - 2] == '.'))
        {
            sep = code[i - 1];
            int j = i - 1;
            while (true)
            {
                int k = j;
                while (k > 0 && IsIdentChar(code[k - 1])) k--;
                if (k == j)
                {
                    if (parts.Count == 0 && EndsWithStringLiteral(code, j, out int litStart))
                    {
                        stringBase = true;
                        start = litStart;
                        break;
                    }
                    return null;
                }
                string name = code[k..j];
                if (char.IsAsciiDigit(name[0])) return null;
                parts.Insert(0, name);
                j = k;
                start = k;
                if (j > 0 && code[j - 1] == '.' && !(j > 1 && code[j - 2] == '.'))
                {
                    j--;
                    continue;
                }
                break;
            }
        }
        return new Chain(parts, prefix, sep, stringBase, start, i);
    }

    private static bool EndsWithStringLiteral(string code, int j, out int literalStart)
    {
        literalStart = j;
        int k = j;
        bool paren = k > 0 && code[k - 1] == ')';
        if (paren) k--;
        if (k <= 0) return false;
        char q = code[k - 1];
        if (q is '"' or '\'')
        {
            int open = code.LastIndexOf(q, k - 2 < 0 ? 0 : k - 2);
            if (open < 0 || open == k - 1) return false;
            literalStart = paren && open > 0 && code[open - 1] == '(' ? open - 1 : open;
            return true;
        }
        if (q == ']' && k >= 2 && code[k - 2] is ']' or '=')
        {
            int open = code.LastIndexOf('[', k - 2);
            if (open < 0) return false;
            literalStart = paren && open > 0 && code[open - 1] == '(' ? open - 1 : open;
            return true;
        }
        return false;
    }

    /// <summary>Finds the name at (or just before) the cursor for inspection, e.g. "print(" with the cursor after "(".</summary>
    public static (Chain Chain, int End)? NameAt(string code, int cursor)
    {
        cursor = Math.Clamp(cursor, 0, code.Length);
        int s = cursor, e = cursor;
        while (s > 0 && IsIdentChar(code[s - 1])) s--;
        while (e < code.Length && IsIdentChar(code[e])) e++;
        if (s == e)
        {
            int k = cursor;
            while (k > 0 && (code[k - 1] is ' ' or '\t' or '(')) k--;
            e = k;
            s = k;
            while (s > 0 && IsIdentChar(code[s - 1])) s--;
            if (s == e) return null;
        }
        var chain = ChainBefore(code, e);
        if (chain is null || chain.Prefix.Length == 0) return null;
        return (chain, e);
    }
}
