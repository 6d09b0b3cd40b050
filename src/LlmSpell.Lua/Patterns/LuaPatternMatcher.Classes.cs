namespace LlmSpell.Lua;

/// <summary>A malformed pattern or a pattern the matcher refuses; the message is Lua's.</summary>
internal sealed class LuaPatternException(string message) : Exception(message);

/// <summary>The session said stop (interrupt, time or instruction limit) while a pattern was being matched.</summary>
internal sealed class LuaPatternAbortException(AbortReason reason) : Exception(reason.Message)
{
    public AbortReason Reason { get; } = reason;
}

/// <summary>Character classes and sets of Lua patterns: %a, [a-z%d], ... (the C locale's classes, on bytes).</summary>
internal sealed unsafe partial class LuaPatternMatcher
{
    private static bool IsUpper(int c) => c is >= 'A' and <= 'Z';
    private static bool IsLower(int c) => c is >= 'a' and <= 'z';
    private static bool IsAlpha(int c) => IsUpper(c) || IsLower(c);
    private static bool IsDigit(int c) => c is >= '0' and <= '9';
    private static bool IsAlnum(int c) => IsAlpha(c) || IsDigit(c);
    private static bool IsGraph(int c) => c is >= 33 and <= 126;

    /// <summary>lstrlib's match_class: does byte c belong to class letter cl (an upper-case letter complements)?</summary>
    private static bool MatchClass(int c, int cl)
    {
        bool res;
        switch (IsUpper(cl) ? cl + ('a' - 'A') : cl)
        {
            case 'a': res = IsAlpha(c); break;
            case 'c': res = c < 32 || c == 127; break;
            case 'd': res = IsDigit(c); break;
            case 'g': res = IsGraph(c); break;
            case 'l': res = IsLower(c); break;
            case 'p': res = IsGraph(c) && !IsAlnum(c); break;
            case 's': res = c == ' ' || c is >= 9 and <= 13; break;
            case 'u': res = IsUpper(c); break;
            case 'w': res = IsAlnum(c); break;
            case 'x': res = IsDigit(c) || c is >= 'a' and <= 'f' or >= 'A' and <= 'F'; break;
            case 'z': res = c == 0; break; // deprecated, still in 5.4
            default: return cl == c;
        }
        return IsUpper(cl) ? !res : res;
    }

    private int ClassEnd(int p)
    {
        int c = _pat[p++];
        if (c == '%')
        {
            if (p == _patLen)
                throw new LuaPatternException("malformed pattern (ends with '%')");
            return p + 1;
        }
        if (c == '[')
        {
            if (P(p) == '^')
                p++;
            do
            {
                if (p == _patLen)
                    throw new LuaPatternException("malformed pattern (missing ']')");
                if (_pat[p++] == '%' && p < _patLen)
                    p++;
            } while (P(p) != ']');
            return p + 1;
        }
        return p;
    }

    /// <summary>p is the '[' of the set, ec its closing ']'.</summary>
    private bool MatchBracketClass(int c, int p, int ec)
    {
        bool sig = true;
        if (P(p + 1) == '^')
        {
            sig = false;
            p++;
        }
        while (++p < ec)
        {
            if (_pat[p] == '%')
            {
                p++;
                if (MatchClass(c, _pat[p]))
                    return sig;
            }
            else if (P(p + 1) == '-' && p + 2 < ec)
            {
                p += 2;
                if (_pat[p - 2] <= c && c <= _pat[p])
                    return sig;
            }
            else if (_pat[p] == c)
                return sig;
        }
        return !sig;
    }

    private bool SingleMatch(int s, int p, int ep)
    {
        if (s >= _srcLen)
            return false;
        int c = _src[s];
        return _pat[p] switch
        {
            (byte)'.' => true,
            (byte)'%' => MatchClass(c, _pat[p + 1]),
            (byte)'[' => MatchBracketClass(c, p, ep - 1),
            _ => _pat[p] == c,
        };
    }
}
