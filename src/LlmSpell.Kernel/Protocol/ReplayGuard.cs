namespace LlmSpell.Kernel.Protocol;

/// <summary>
/// Remembers accepted msg_ids for a time window (bounded in count) so a replayed message is rejected.
/// Thread-safe; O(1) amortised per call.
/// </summary>
internal sealed class ReplayGuard(TimeSpan window, int capacity = 100_000, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Id, long At)> _order = new();
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _seen.Count; } }

    /// <summary>Returns true when the id is new (and records it), false when it is a replay.</summary>
    public bool TryAccept(string msgId)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_order.Count > 0 &&
                   (_order.Count >= capacity || _time.GetElapsedTime(_order.Peek().At, now) > window))
            {
                _seen.Remove(_order.Dequeue().Id);
            }
            if (!_seen.Add(msgId)) return false;
            _order.Enqueue((msgId, now));
            return true;
        }
    }
}
