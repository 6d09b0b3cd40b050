using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Text.Unicode;

namespace LlmSpell.Kernel.Execution;

internal sealed record HistoryEntry(int Session, int Line, string Input, string? Output);

/// <summary>
/// In-memory input history per kernel, bounded in entries and bytes. Session numbers start at 1 and grow on restart.
/// Thread-safe.
/// </summary>
internal sealed class HistoryStore(int maxEntries = 10_000, int maxEntryBytes = HistoryStore.MaxEntryBytes, long maxTotalBytes = HistoryStore.MaxTotalBytes)
{
    /// <summary>Each stored input and output is cut to this many UTF-8 bytes: a cell is rarely near it, a pasted data dump is.</summary>
    public const int MaxEntryBytes = 64 * 1024;

    /// <summary>The whole store's budget in UTF-8 bytes (about twice that in memory); the oldest entries go first.</summary>
    public const long MaxTotalBytes = 16L * 1024 * 1024;

    private readonly Queue<(HistoryEntry Entry, long Bytes)> _entries = new();
    private readonly Lock _lock = new();
    private long _bytes;

    public int CurrentSession { get; private set; } = 1;

    /// <summary>UTF-8 bytes of all stored inputs and outputs.</summary>
    public long Bytes { get { lock (_lock) return _bytes; } }

    public void NewSession()
    {
        lock (_lock) CurrentSession++;
    }

    public void Add(int line, string input, string? output)
    {
        input = Truncate(input, maxEntryBytes, out var inputBytes);
        long outputBytes = 0;
        if (output is not null) output = Truncate(output, maxEntryBytes, out outputBytes);
        var bytes = inputBytes + outputBytes;
        lock (_lock)
        {
            _entries.Enqueue((new HistoryEntry(CurrentSession, line, input, output), bytes));
            _bytes += bytes;
            while (_entries.Count > maxEntries || (_bytes > maxTotalBytes && _entries.Count > 1))
                _bytes -= _entries.Dequeue().Bytes;
        }
    }

    /// <summary>Cuts text to at most maxBytes UTF-8 bytes on a character boundary and appends a Lua comment saying so.</summary>
    internal static string Truncate(string text, int maxBytes, out long storedBytes)
    {
        var total = Encoding.UTF8.GetByteCount(text);
        if (total <= maxBytes)
        {
            storedBytes = total;
            return text;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            // Stops before a character that would not fit, so no code point is split.
            Utf8.FromUtf16(text, buffer.AsSpan(0, maxBytes), out var charsRead, out var kept);
            var truncated = string.Concat(text.AsSpan(0, charsRead),
                $"\n-- [truncated: {total.ToString(CultureInfo.InvariantCulture)} bytes, kept the first {kept.ToString(CultureInfo.InvariantCulture)}]");
            storedBytes = Encoding.UTF8.GetByteCount(truncated);
            return truncated;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public IReadOnlyList<HistoryEntry> Tail(int n)
    {
        lock (_lock)
        {
            if (n <= 0) return [];
            return _entries.Skip(Math.Max(0, _entries.Count - n)).Select(e => e.Entry).ToList();
        }
    }

    /// <summary>IPython semantics: session 0 = current, negative = relative; lines in [start, stop), stop 0/absent = to the end.</summary>
    public IReadOnlyList<HistoryEntry> Range(int session, int start, int? stop)
    {
        lock (_lock)
        {
            var target = session <= 0 ? CurrentSession + session : session;
            return _entries.Select(e => e.Entry).Where(e => e.Session == target && e.Line >= start && (stop is null || e.Line < stop)).ToList();
        }
    }

    public IReadOnlyList<HistoryEntry> Search(string pattern, int? n, bool unique)
    {
        var regex = GlobToRegex(string.IsNullOrEmpty(pattern) ? "*" : pattern);
        lock (_lock)
        {
            IEnumerable<HistoryEntry> matches = _entries.Select(e => e.Entry).Where(e => regex.IsMatch(e.Input));
            if (unique)
            {
                // Keep the most recent occurrence of each input.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                matches = matches.Reverse().Where(e => seen.Add(e.Input)).Reverse();
            }
            var list = matches.ToList();
            if (n is > 0 && list.Count > n) list = list.Skip(list.Count - n.Value).ToList();
            return list;
        }
    }

    internal static Regex GlobToRegex(string glob)
    {
        var sb = new StringBuilder("^");
        foreach (var c in glob)
        {
            sb.Append(c switch
            {
                '*' => ".*",
                '?' => ".",
                _ => Regex.Escape(c.ToString()),
            });
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.Singleline | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
