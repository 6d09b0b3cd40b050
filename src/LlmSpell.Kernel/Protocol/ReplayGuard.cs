namespace LlmSpell.Kernel.Protocol;

/// <summary>
/// Remembers accepted msg_ids for a time window (bounded in count) so a replayed message is rejected.
/// Thread-safe; O(1) amortised per call.
/// </summary>
internal sealed class ReplayGuard(TimeSpan window, int capacity = 100_000, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    // 16-byte digests, not the strings: at the capacity this is a few MB instead of tens.
    private readonly HashSet<UInt128> _seen = [];
    private readonly Queue<(UInt128 Key, long At)> _order = new();
    private readonly Lock _lock = new();

    public int Count { get { lock (_lock) return _seen.Count; } }

    /// <summary>The key of a message: a digest of its signed header (which holds msg_id, session, type and date).</summary>
    public static UInt128 KeyOf(ReadOnlySpan<byte> headerBytes)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(headerBytes, hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    public bool TryAccept(string id) => TryAccept(KeyOf(System.Text.Encoding.UTF8.GetBytes(id)));

    /// <summary>Returns true when the key is new (and records it), false when it is a replay.</summary>
    public bool TryAccept(UInt128 key)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            while (_order.Count > 0 &&
                   (_order.Count >= capacity || _time.GetElapsedTime(_order.Peek().At, now) > window))
            {
                _seen.Remove(_order.Dequeue().Key);
            }
            if (!_seen.Add(key)) return false;
            _order.Enqueue((key, now));
            return true;
        }
    }
}
