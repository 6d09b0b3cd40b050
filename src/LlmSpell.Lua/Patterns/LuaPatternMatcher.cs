namespace LlmSpell.Lua;

/// <summary>
/// A port of the pattern matcher of Lua 5.4's lstrlib.c. We cannot use the C one: hooks do not run inside a C
/// function, so a backtracking pattern (e.g. ("a*"):rep(30) .. "b") would run for hours past interrupts, time
/// and instruction limits. This one counts its steps, charges them to the instruction budget and stops when the
/// <see cref="AbortMonitor"/> says so. Positions are 0-based byte offsets; -1 means no match. The subject and
/// pattern are Lua's own NUL-terminated buffers, pinned on the caller's stack for the whole call.
/// </summary>
internal sealed unsafe partial class LuaPatternMatcher(byte* src, int srcLen, byte* pat, int patLen, AbortMonitor? monitor)
{
    private readonly byte* _src = src;
    private readonly int _srcLen = srcLen;
    private readonly byte* _pat = pat;
    private readonly int _patLen = patLen;

    public const int MaxCaptures = 32;
    public const int CapUnfinished = -1;
    public const int CapPosition = -2;
    private const int MaxCalls = 200;
    private const int CheckInterval = 1024;

    private readonly int[] _capInit = new int[MaxCaptures];
    private readonly int[] _capLen = new int[MaxCaptures];
    private int _level;
    private int _depth;
    private int _untilCheck = CheckInterval;

    public int Level => _level;
    public int CaptureInit(int i) => _capInit[i];
    public int CaptureLen(int i) => _capLen[i];

    /// <summary>The first match starting at or after init; a leading '^' anchors it when anchorAllowed.</summary>
    public bool Find(int init, bool anchorAllowed, out int start, out int end)
    {
        bool anchor = anchorAllowed && _patLen > 0 && _pat[0] == '^';
        int p = anchor ? 1 : 0;
        int s1 = init;
        start = end = -1;
        do
        {
            Step();
            _level = 0;
            _depth = MaxCalls;
            int res = Match(s1, p);
            if (res >= 0)
            {
                start = s1;
                end = res;
                break;
            }
        } while (s1++ < _srcLen && !anchor);
        Charge(CheckInterval - _untilCheck);
        return start >= 0;
    }

    /// <summary>Plain substring search (find with plain or no specials), counted like the matcher.</summary>
    public int FindPlain(int init)
    {
        var hay = new ReadOnlySpan<byte>(_src, _srcLen);
        var needle = new ReadOnlySpan<byte>(_pat, _patLen);
        int found = -1;
        if (_patLen == 0)
            found = init;
        for (int at = init; found < 0 && at <= _srcLen - _patLen; at++)
        {
            int next = hay[at..(_srcLen - _patLen + 1)].IndexOf(needle[0]);
            if (next < 0)
                break;
            at += next;
            Step(1 + (_patLen >> 6));
            if (hay.Slice(at, _patLen).SequenceEqual(needle))
                found = at;
        }
        Charge(CheckInterval - _untilCheck);
        return found;
    }

    private void Step(int n = 1)
    {
        _untilCheck -= n;
        if (_untilCheck <= 0)
            Charge(CheckInterval - _untilCheck);
    }

    private void Charge(int steps)
    {
        _untilCheck = CheckInterval;
        if (monitor?.Charge(steps) is { } abort)
            throw new LuaPatternAbortException(abort);
    }

    // Lua strings end with a NUL the C code reads at the end; so do these.
    private int S(int i) => i < _srcLen ? _src[i] : 0;
    private int P(int i) => i < _patLen ? _pat[i] : 0;

    private int Leave(int s)
    {
        _depth++;
        return s;
    }

    private int Match(int s, int p)
    {
        if (_depth-- == 0)
            throw new LuaPatternException("pattern too complex");
        while (true)
        {
            Step();
            if (p == _patLen)
                return Leave(s);
            switch (_pat[p])
            {
                case (byte)'(':
                    return Leave(P(p + 1) == ')' ? StartCapture(s, p + 2, CapPosition) : StartCapture(s, p + 1, CapUnfinished));
                case (byte)')':
                    return Leave(EndCapture(s, p + 1));
                case (byte)'$' when p + 1 == _patLen:
                    return Leave(s == _srcLen ? s : -1);
                case (byte)'%' when P(p + 1) == 'b':
                    s = MatchBalance(s, p + 2);
                    if (s < 0)
                        return Leave(-1);
                    p += 4;
                    continue;
                case (byte)'%' when P(p + 1) == 'f':
                {
                    p += 2;
                    if (P(p) != '[')
                        throw new LuaPatternException("missing '[' after '%f' in pattern");
                    int ep = ClassEnd(p);
                    int previous = s == 0 ? 0 : _src[s - 1];
                    if (MatchBracketClass(previous, p, ep - 1) || !MatchBracketClass(S(s), p, ep - 1))
                        return Leave(-1);
                    p = ep;
                    continue;
                }
                case (byte)'%' when P(p + 1) is >= '0' and <= '9':
                    s = MatchCapture(s, P(p + 1));
                    if (s < 0)
                        return Leave(-1);
                    p += 2;
                    continue;
                default:
                {
                    int ep = ClassEnd(p);
                    int suffix = P(ep);
                    if (!SingleMatch(s, p, ep))
                    {
                        if (suffix is '*' or '?' or '-')
                        {
                            p = ep + 1;
                            continue;
                        }
                        return Leave(-1);
                    }
                    switch (suffix)
                    {
                        case '?':
                            int res = Match(s + 1, ep + 1);
                            if (res >= 0)
                                return Leave(res);
                            p = ep + 1;
                            continue;
                        case '+':
                            return Leave(MaxExpand(s + 1, p, ep));
                        case '*':
                            return Leave(MaxExpand(s, p, ep));
                        case '-':
                            return Leave(MinExpand(s, p, ep));
                        default:
                            s++;
                            p = ep;
                            continue;
                    }
                }
            }
        }
    }

    private int MatchBalance(int s, int p)
    {
        if (p >= _patLen - 1)
            throw new LuaPatternException("malformed pattern (missing arguments to '%b')");
        if (S(s) != _pat[p])
            return -1;
        int open = _pat[p], close = _pat[p + 1], depth = 1;
        while (++s < _srcLen)
        {
            Step();
            int c = _src[s];
            if (c == close)
            {
                if (--depth == 0)
                    return s + 1;
            }
            else if (c == open)
                depth++;
        }
        return -1;
    }

    private int MaxExpand(int s, int p, int ep)
    {
        int i = 0;
        while (SingleMatch(s + i, p, ep))
        {
            Step();
            i++;
        }
        for (; i >= 0; i--)
        {
            int res = Match(s + i, ep + 1);
            if (res >= 0)
                return res;
        }
        return -1;
    }

    private int MinExpand(int s, int p, int ep)
    {
        while (true)
        {
            int res = Match(s, ep + 1);
            if (res >= 0)
                return res;
            if (!SingleMatch(s, p, ep))
                return -1;
            s++;
        }
    }

    private int StartCapture(int s, int p, int what)
    {
        if (_level >= MaxCaptures)
            throw new LuaPatternException("too many captures");
        _capInit[_level] = s;
        _capLen[_level] = what;
        _level++;
        int res = Match(s, p);
        if (res < 0)
            _level--;
        return res;
    }

    private int EndCapture(int s, int p)
    {
        int l = CaptureToClose();
        _capLen[l] = s - _capInit[l];
        int res = Match(s, p);
        if (res < 0)
            _capLen[l] = CapUnfinished;
        return res;
    }

    private int CaptureToClose()
    {
        for (int level = _level - 1; level >= 0; level--)
            if (_capLen[level] == CapUnfinished)
                return level;
        throw new LuaPatternException("invalid pattern capture");
    }

    private int MatchCapture(int s, int digit)
    {
        int l = digit - '1';
        if (l < 0 || l >= _level || _capLen[l] == CapUnfinished)
            throw new LuaPatternException($"invalid capture index %{l + 1}");
        int len = _capLen[l];
        // A position capture has no text: C compares (size_t)-2 bytes, which never fits.
        if (len < 0 || _srcLen - s < len)
            return -1;
        Step(1 + (len >> 6));
        return new ReadOnlySpan<byte>(_src + _capInit[l], len).SequenceEqual(new ReadOnlySpan<byte>(_src + s, len)) ? s + len : -1;
    }
}
