using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Transport;

/// <summary>The kernel's five sockets: the poller-owned channels and the heartbeat, bound together or not at all.</summary>
internal sealed class KernelSockets : IDisposable
{
    private readonly Heartbeat _heartbeat;

    private KernelSockets(KernelTransport transport, Heartbeat heartbeat, ConnectionInfo bound)
    {
        Transport = transport;
        _heartbeat = heartbeat;
        Bound = bound;
    }

    public KernelTransport Transport { get; }

    /// <summary>The requested connection with the ports actually bound (port 0 asks the OS).</summary>
    public ConnectionInfo Bound { get; }

    public static KernelSockets Bind(ConnectionInfo requested, long maxMessageSizeBytes, ILoggerFactory loggerFactory)
    {
        var transport = new KernelTransport(requested.Ip, requested.ShellPort, requested.IopubPort, requested.StdinPort,
            requested.ControlPort, maxMessageSizeBytes, loggerFactory.CreateLogger<KernelTransport>());
        try
        {
            var heartbeat = new Heartbeat(requested.Ip, requested.HbPort, loggerFactory.CreateLogger<Heartbeat>(), out var hbPort);
            return new KernelSockets(transport, heartbeat, requested with
            {
                ShellPort = transport.ShellPort,
                IopubPort = transport.IopubPort,
                StdinPort = transport.StdinPort,
                ControlPort = transport.ControlPort,
                HbPort = hbPort,
            });
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    public void Start(Action<Protocol.Channel, List<byte[]>> onReceive, string pollerName)
    {
        Transport.Start(onReceive, pollerName);
        _heartbeat.Start();
    }

    /// <summary>Sends what is queued (bounded by the timeout), then closes every socket.</summary>
    public void Stop(TimeSpan timeout)
    {
        Transport.Stop(timeout);
        _heartbeat.Dispose();
    }

    /// <summary>Closes the sockets of a kernel that never started.</summary>
    public void Dispose()
    {
        _heartbeat.Dispose();
        Transport.Dispose();
    }
}
