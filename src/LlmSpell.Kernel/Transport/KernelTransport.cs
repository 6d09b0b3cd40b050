using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace LlmSpell.Kernel.Transport;

/// <summary>
/// Owns the shell/control/stdin ROUTER and iopub PUB sockets and the single poller thread that
/// touches them. Other threads send through <see cref="Send"/>, which enqueues onto a NetMQQueue
/// drained by the poller, so each message is one multipart send from the owning thread.
/// </summary>
internal sealed partial class KernelTransport : IDisposable
{
    private const int MaxBatch = 64;
    private readonly RouterSocket _shell = new();
    private readonly RouterSocket _control = new();
    private readonly RouterSocket _stdin = new();
    private readonly PublisherSocket _iopub = new();
    private readonly NetMQQueue<Outgoing> _outgoing = new();
    private readonly NetMQPoller _poller;
    private readonly ILogger _logger;
    private Action<Channel, List<byte[]>>? _onReceive;
    private Thread? _pollerThread;
    private volatile bool _stopped;
    private int _disposed;

    private readonly record struct Outgoing(Channel Channel, List<byte[]> Frames);

    public KernelTransport(string ip, int shellPort, int iopubPort, int stdinPort, int controlPort, long maxMessageSize, ILogger logger)
    {
        _logger = logger;
        _poller = new NetMQPoller { _shell, _control, _stdin, _iopub, _outgoing };
        try
        {
            foreach (var socket in new NetMQSocket[] { _shell, _control, _stdin, _iopub })
            {
                socket.Options.Linger = TimeSpan.FromMilliseconds(500);
                // Hard backstop against memory exhaustion; the exact limit is checked per message.
                if (maxMessageSize > 0) socket.Options.MaxMsgSize = Math.Max(maxMessageSize * 4, maxMessageSize + (1 << 20));
            }
            _iopub.Options.SendHighWatermark = 100_000;
            ShellPort = SocketBinding.Bind(_shell, ip, shellPort);
            IopubPort = SocketBinding.Bind(_iopub, ip, iopubPort);
            StdinPort = SocketBinding.Bind(_stdin, ip, stdinPort);
            ControlPort = SocketBinding.Bind(_control, ip, controlPort);
        }
        catch
        {
            DisposeSockets();
            throw;
        }
        _shell.ReceiveReady += (_, e) => Drain(Channel.Shell, e.Socket);
        _control.ReceiveReady += (_, e) => Drain(Channel.Control, e.Socket);
        _stdin.ReceiveReady += (_, e) => Drain(Channel.Stdin, e.Socket);
        _outgoing.ReceiveReady += (_, _) => DrainOutgoing();
    }

    public int ShellPort { get; }
    public int IopubPort { get; }
    public int StdinPort { get; }
    public int ControlPort { get; }

    /// <summary>True when called on the poller thread.</summary>
    private bool IsPollerThread => Thread.CurrentThread == _pollerThread;

    /// <summary>Starts the poller thread; <paramref name="onReceive"/> runs on it for every received multipart message.</summary>
    public void Start(Action<Channel, List<byte[]>> onReceive, string name)
    {
        _onReceive = onReceive;
        _pollerThread = new Thread(RunPoller) { IsBackground = true, Name = name };
        _pollerThread.Start();
    }

    private void RunPoller()
    {
        try
        {
            _poller.Run();
        }
        catch (Exception ex)
        {
            Log.PollerLoopFailed(_logger, ex);
        }
    }

    /// <summary>Queues a multipart message for sending on the given channel. Thread-safe.</summary>
    public void Send(Channel channel, List<byte[]> frames)
    {
        if (_stopped) return;
        try
        {
            _outgoing.Enqueue(new Outgoing(channel, frames));
        }
        catch (Exception ex) when (ex is ObjectDisposedException or NetMQException)
        {
            Log.SendAfterShutdown(_logger);
        }
    }

    private void Drain(Channel channel, NetMQSocket socket)
    {
        var frames = new List<byte[]>();
        for (var i = 0; i < MaxBatch; i++)
        {
            if (!socket.TryReceiveMultipartBytes(TimeSpan.Zero, ref frames)) return;
            try
            {
                _onReceive?.Invoke(channel, frames);
            }
            catch (Exception ex)
            {
                Log.ProcessingFailed(_logger, ex, channel.Name());
            }
            frames = new List<byte[]>();
        }
    }

    private void DrainOutgoing()
    {
        for (var i = 0; i < MaxBatch * 4 && _outgoing.TryDequeue(out var item, TimeSpan.Zero); i++)
            SendNow(item);
    }

    private void SendNow(Outgoing item)
    {
        var socket = SocketFor(item.Channel);
        try
        {
            if (!socket.TrySendMultipartBytes(TimeSpan.Zero, item.Frames))
                Log.SendDropped(_logger, item.Channel.Name());
        }
        catch (NetMQException ex)
        {
            Log.SendFailed(_logger, ex, item.Channel.Name());
        }
    }

    private NetMQSocket SocketFor(Channel channel) => channel switch
    {
        Channel.Shell => _shell,
        Channel.Control => _control,
        Channel.Stdin => _stdin,
        _ => _iopub,
    };

    /// <summary>Stops the poller (bounded wait), flushes queued messages and closes the sockets.</summary>
    public void Stop(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        var pollerStopped = true;
        if (_poller.IsRunning)
        {
            if (IsPollerThread)
            {
                _poller.StopAsync();
                pollerStopped = false;
            }
            else
            {
                var stopTask = Task.Run(_poller.Stop);
                pollerStopped = stopTask.Wait(timeout);
                if (!pollerStopped) Log.PollerDidNotStop(_logger, timeout);
            }
        }
        _stopped = true;
        if (pollerStopped)
        {
            // The poller is no longer running: this thread now owns the sockets. Flush what is left.
            while (_outgoing.TryDequeue(out var item, TimeSpan.Zero)) SendNow(item);
            _pollerThread?.Join(timeout);
            try { _poller.Dispose(); } catch (Exception ex) { Log.PollerDisposeFailed(_logger, ex); }
            DisposeSockets();
        }
    }

    private void DisposeSockets()
    {
        foreach (var d in new IDisposable[] { _shell, _control, _stdin, _iopub, _outgoing })
        {
            try { d.Dispose(); }
            catch (Exception ex) { Log.SocketDisposeFailed(_logger, ex); }
        }
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(2));

    private static partial class Log
    {
        [LoggerMessage(1140, LogLevel.Error, "Kernel poller loop failed")]
        public static partial void PollerLoopFailed(ILogger logger, Exception ex);

        [LoggerMessage(1141, LogLevel.Debug, "Dropping outgoing message after transport shutdown")]
        public static partial void SendAfterShutdown(ILogger logger);

        [LoggerMessage(1142, LogLevel.Error, "Unhandled error while processing a {Channel} message")]
        public static partial void ProcessingFailed(ILogger logger, Exception ex, string channel);

        [LoggerMessage(1143, LogLevel.Debug, "Dropped a {Channel} message (peer gone or high-water mark reached)")]
        public static partial void SendDropped(ILogger logger, string channel);

        [LoggerMessage(1144, LogLevel.Warning, "Failed to send a {Channel} message")]
        public static partial void SendFailed(ILogger logger, Exception ex, string channel);

        [LoggerMessage(1145, LogLevel.Warning, "Kernel poller did not stop within {Timeout}")]
        public static partial void PollerDidNotStop(ILogger logger, TimeSpan timeout);

        [LoggerMessage(1146, LogLevel.Debug, "Poller dispose failed")]
        public static partial void PollerDisposeFailed(ILogger logger, Exception ex);

        [LoggerMessage(1147, LogLevel.Debug, "Socket dispose failed")]
        public static partial void SocketDisposeFailed(ILogger logger, Exception ex);
    }
}
