using System.Collections.Concurrent;
using System.Globalization;

namespace LlmSpell.ProviderDoubles;

/// <summary>Ids unique within one double, counted per prefix from 1 (call_1, call_2, toolu_1, msg_1, ...).</summary>
internal sealed class IdSource
{
    private readonly ConcurrentDictionary<string, StrongBox> _counters = new();

    public string Next(string prefix)
    {
        var box = _counters.GetOrAdd(prefix, _ => new StrongBox());
        return prefix + Interlocked.Increment(ref box.Value).ToString(CultureInfo.InvariantCulture);
    }

    private sealed class StrongBox
    {
        public long Value;
    }
}
