using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace LlmSpell.Kernel.Transport;

/// <summary>REP echo socket on its own thread, so heartbeats are answered while scripts run.</summary>
internal sealed partial class Heartbeat : IDisposable
{
    private readonly ResponseSocket _socket;
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private volatile bool _stop;

    public Heartbeat(string ip, int port, ILogger logger, out int boundPort)
    {
        _logger = logger;
        _socket = new ResponseSocket();
        _socket.Options.Linger = TimeSpan.Zero;
        try
        {
            boundPort = SocketBinding.Bind(_socket, ip, port);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
        _thread = new Thread(Run) { IsBackground = true, Name = $"jupyter-hb:{boundPort}" };
    }

    public void Start() => _thread.Start();

    private void Run()
    {
        var frames = new List<byte[]>();
        try
        {
            while (!_stop)
            {
                if (!_socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames)) continue;
                _socket.SendMultipartBytes(frames);
            }
        }
        catch (Exception ex) when (ex is NetMQException or ObjectDisposedException)
        {
            if (!_stop) Log.LoopEnded(_logger, ex);
        }
    }

    public void Dispose()
    {
        _stop = true;
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(2)))
            Log.DidNotStop(_logger);
        if (!_thread.IsAlive) _socket.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1160, LogLevel.Warning, "Heartbeat loop ended unexpectedly")]
        public static partial void LoopEnded(ILogger logger, Exception ex);

        [LoggerMessage(1161, LogLevel.Warning, "Heartbeat thread did not stop in time")]
        public static partial void DidNotStop(ILogger logger);
    }
}

internal static class SocketBinding
{
    /// <summary>Binds to the port, or to an OS-assigned port when it is 0; returns the bound port.</summary>
    public static int Bind(NetMQSocket socket, string ip, int port)
    {
        var host = ip.Contains(':') && !ip.StartsWith('[') ? $"[{ip}]" : ip;
        if (port == 0) return socket.BindRandomPort($"tcp://{host}");
        socket.Bind($"tcp://{host}:{port}");
        return port;
    }
}
