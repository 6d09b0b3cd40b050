using NetMQ;

namespace LlmSpell.Gateway.Zmq;

/// <summary>
/// One NetMQ poller thread for the kernel-side sockets of every websocket connection. NetMQ sockets are not
/// thread-safe: everything that touches them runs here, posted through <see cref="Post"/>.
/// </summary>
internal sealed class ZmqClientHub : IDisposable
{
    private readonly NetMQPoller _poller = new();
    private readonly NetMQQueue<Action> _work = new();

    public ZmqClientHub()
    {
        _work.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var action, TimeSpan.Zero)) action();
        };
        _poller.Add(_work);
        _poller.RunAsync("llmspell-gateway", isBackgroundThread: true);
    }

    /// <summary>Runs <paramref name="action"/> on the poller thread.</summary>
    public void Post(Action action) => _work.Enqueue(action);

    public void Add(NetMQSocket socket) => Post(() => _poller.Add(socket));

    public void RemoveAndDispose(NetMQSocket socket) => Post(() =>
    {
        _poller.Remove(socket);
        socket.Dispose();
    });

    public void Dispose()
    {
        _poller.Stop();
        _poller.Dispose();
        _work.Dispose();
    }
}
