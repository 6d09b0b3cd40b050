using System.Collections.Concurrent;

namespace LlmSpell.Gateway;

/// <summary>
/// The open websocket connections of every kernel: what Jupyter's kernel model calls "connections", what culling
/// with cull_connected = false spares, and what a service shutdown closes (a connection closes itself when its kernel
/// stops, once the kernel's last messages have reached it).
/// </summary>
public sealed class GatewayConnections
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<long, IGatewayConnection>> _byKernel = new(StringComparer.Ordinal);
    private long _next;

    /// <summary>Raised with the new total whenever a connection opens or closes (for the websocket gauge).</summary>
    public event Action<int>? CountChanged;

    public int Count(string kernelId) => _byKernel.TryGetValue(kernelId, out var set) ? set.Count : 0;

    public int Total => _byKernel.Values.Sum(s => s.Count);

    internal IDisposable Add(string kernelId, IGatewayConnection connection)
    {
        var id = Interlocked.Increment(ref _next);
        _byKernel.GetOrAdd(kernelId, _ => new()).TryAdd(id, connection);
        CountChanged?.Invoke(Total);
        return new Registration(this, kernelId, id);
    }

    /// <summary>Closes every connection (service shutdown).</summary>
    public Task CloseEverythingAsync(string reason) =>
        Task.WhenAll(_byKernel.Values.SelectMany(s => s.Values).Select(c => c.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.EndpointUnavailable, reason)));

    private void Remove(string kernelId, long id)
    {
        if (_byKernel.TryGetValue(kernelId, out var set) && set.TryRemove(id, out _)) CountChanged?.Invoke(Total);
    }

    private sealed class Registration(GatewayConnections owner, string kernelId, long id) : IDisposable
    {
        private int _disposed;
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) owner.Remove(kernelId, id);
        }
    }
}

/// <summary>One open websocket as the registry sees it.</summary>
internal interface IGatewayConnection
{
    Task CloseAsync(System.Net.WebSockets.WebSocketCloseStatus status, string reason);
}
