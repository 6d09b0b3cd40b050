using LlmSpell.Gateway.Wire;
using LlmSpell.Kernel;
using LlmSpell.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace LlmSpell.Gateway.Zmq;

/// <summary>
/// One websocket connection's view of a kernel, as a Jupyter client has it: shell, control and stdin DEALER sockets
/// sharing one identity (so the kernel routes this connection's replies and input requests to it alone) and its own
/// iopub subscription. Messages are signed with the kernel's key here; the kernel verifies them like any client's.
/// </summary>
internal sealed class KernelChannelClient : IDisposable
{
    private static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private readonly ZmqClientHub _hub;
    private readonly MessageSigner _signer;
    private readonly Dictionary<string, NetMQSocket> _requestSockets;
    private readonly SubscriberSocket _iopub = new();
    private readonly Action<KernelMessageParts> _onMessage;
    private int _disposed;

    /// <param name="onMessage">Runs on the hub's poller thread for every message from the kernel: keep it short.</param>
    public KernelChannelClient(ZmqClientHub hub, ConnectionInfo kernel, byte[] identity, Action<KernelMessageParts> onMessage)
    {
        _hub = hub;
        _signer = new MessageSigner(kernel.Key);
        _onMessage = onMessage;
        var host = kernel.Ip switch { "0.0.0.0" or "*" or "" => "127.0.0.1", "::" => "[::1]", var ip when ip.Contains(':') => $"[{ip}]", var ip => ip };
        _requestSockets = new Dictionary<string, NetMQSocket>(StringComparer.Ordinal)
        {
            ["shell"] = Dealer(identity, $"tcp://{host}:{kernel.ShellPort}"),
            ["control"] = Dealer(identity, $"tcp://{host}:{kernel.ControlPort}"),
            ["stdin"] = Dealer(identity, $"tcp://{host}:{kernel.StdinPort}"),
        };
        _iopub.Options.Linger = TimeSpan.Zero;
        _iopub.Options.ReceiveHighWatermark = 100_000;
        _iopub.Subscribe("");
        _iopub.Connect($"tcp://{host}:{kernel.IopubPort}");
        foreach (var (channel, socket) in _requestSockets) Watch(socket, channel);
        Watch(_iopub, "iopub");
    }

    private static DealerSocket Dealer(byte[] identity, string address)
    {
        var socket = new DealerSocket();
        socket.Options.Identity = identity;
        socket.Options.Linger = TimeSpan.Zero;
        socket.Connect(address);
        return socket;
    }

    private void Watch(NetMQSocket socket, string channel)
    {
        socket.ReceiveReady += (_, e) =>
        {
            var frames = new List<byte[]>(8);
            while (e.Socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames!, 8))
            {
                if (Parse(channel, frames) is { } parts) _onMessage(parts);
                frames = new List<byte[]>(8);
            }
        };
        _hub.Add(socket);
    }

    /// <summary>A kernel message after its routing frames and signature (the kernel is in-process and trusted).</summary>
    private static KernelMessageParts? Parse(string channel, List<byte[]> frames)
    {
        var delimiter = frames.FindIndex(f => f.AsSpan().SequenceEqual(Delimiter));
        if (delimiter < 0 || frames.Count - delimiter < 6) return null;
        var b = delimiter + 2;
        return new KernelMessageParts(channel, frames[b], frames[b + 1], frames[b + 2], frames[b + 3], frames.GetRange(b + 4, frames.Count - b - 4));
    }

    /// <summary>Signs and queues a message for its channel; <paramref name="rejected"/> runs if the kernel's queue is full.</summary>
    public void Send(KernelMessageParts message, Action rejected)
    {
        var signed = new List<byte[]>(4 + message.Buffers.Count) { message.Header, message.ParentHeader, message.Metadata, message.Content };
        signed.AddRange(message.Buffers);
        var frames = new List<byte[]>(signed.Count + 2) { Delimiter, _signer.Sign(signed) };
        frames.AddRange(signed);
        var socket = _requestSockets[message.Channel];
        _hub.Post(() =>
        {
            if (Volatile.Read(ref _disposed) != 0) return;
            // Never block the shared poller thread: a kernel that stopped reading its queue gets this connection closed.
            if (!socket.TrySendMultipartBytes(TimeSpan.Zero, frames)) rejected();
        });
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        foreach (var socket in _requestSockets.Values) _hub.RemoveAndDispose(socket);
        _hub.RemoveAndDispose(_iopub);
    }
}
