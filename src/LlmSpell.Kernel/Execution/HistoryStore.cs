using System.Text;
using System.Text.RegularExpressions;

namespace LlmSpell.Kernel.Execution;

internal sealed record HistoryEntry(int Session, int Line, string Input, string? Output);

/// <summary>In-memory input history per kernel. Session numbers start at 1 and grow on restart. Thread-safe.</summary>
internal sealed class HistoryStore(int maxEntries = 10_000)
{
    private readonly Queue<HistoryEntry> _entries = new();
    private readonly Lock _lock = new();

    public int CurrentSession { get; private set; } = 1;

    public void NewSession()
    {
        lock (_lock) CurrentSession++;
    }

    public void Add(int line, string input, string? output)
    {
        lock (_lock)
        {
            _entries.Enqueue(new HistoryEntry(CurrentSession, line, input, output));
            while (_entries.Count > maxEntries) _entries.Dequeue();
        }
    }

    public IReadOnlyList<HistoryEntry> Tail(int n)
    {
        lock (_lock)
        {
            if (n <= 0) return [];
            return _entries.Skip(Math.Max(0, _entries.Count - n)).ToList();
        }
    }

    /// <summary>IPython semantics: session 0 = current, negative = relative; lines in [start, stop), stop 0/absent = to the end.</summary>
    public IReadOnlyList<HistoryEntry> Range(int session, int start, int? stop)
    {
        lock (_lock)
        {
            var target = session <= 0 ? CurrentSession + session : session;
            return _entries.Where(e => e.Session == target && e.Line >= start && (stop is null || e.Line < stop)).ToList();
        }
    }

    public IReadOnlyList<HistoryEntry> Search(string pattern, int? n, bool unique)
    {
        var regex = GlobToRegex(string.IsNullOrEmpty(pattern) ? "*" : pattern);
        lock (_lock)
        {
            IEnumerable<HistoryEntry> matches = _entries.Where(e => regex.IsMatch(e.Input));
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
