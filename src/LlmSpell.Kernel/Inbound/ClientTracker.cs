namespace LlmSpell.Kernel.Inbound;

/// <summary>
/// Distinct client identities (first ZeroMQ routing frame) seen within a time window. Thread-safe. Identities that
/// start with <paramref name="uncountedPrefix"/> belong to an in-process bridge that counts its own connections.
/// </summary>
internal sealed class ClientTracker(TimeSpan window, int pruneAbove = 1024, byte[]? uncountedPrefix = null)
{
    private readonly Dictionary<string, long> _clients = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            var cutoff = DateTimeOffset.UtcNow.UtcTicks - window.Ticks;
            lock (_lock)
            {
                Prune(cutoff);
                return _clients.Count;
            }
        }
    }

    public void Seen(IReadOnlyList<byte[]> identities)
    {
        if (identities.Count == 0) return;
        if (uncountedPrefix is { Length: > 0 } && identities[0].AsSpan().StartsWith(uncountedPrefix)) return;
        var id = Convert.ToHexString(identities[0]);
        var now = DateTimeOffset.UtcNow.UtcTicks;
        lock (_lock)
        {
            var isNew = !_clients.ContainsKey(id);
            _clients[id] = now;
            if (isNew && _clients.Count > pruneAbove) Prune(now - window.Ticks);
        }
    }

    private void Prune(long cutoff)
    {
        List<string>? stale = null;
        foreach (var (id, seen) in _clients)
            if (seen < cutoff) (stale ??= []).Add(id);
        if (stale is null) return;
        foreach (var id in stale) _clients.Remove(id);
    }
}
