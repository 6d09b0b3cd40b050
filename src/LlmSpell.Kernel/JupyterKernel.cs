using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Handlers;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Transport;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel;

/// <summary>
/// One running Jupyter kernel: its sockets, its execution thread and its Lua state.
/// Start with <see cref="Start"/>; it is ready (sockets bound, connection file written) when Start returns.
/// </summary>
public sealed class JupyterKernel : IAsyncDisposable
{
    private static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly IKernelObserver _observer;
    private readonly MessageSigner _signer;
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(10);
    private readonly ReplayGuard _replay = new(ReplayWindow);
    private readonly KernelTransport _transport;
    private readonly Heartbeat _heartbeat;
    private readonly Messenger _messenger;
    private readonly OutputStreams _streams;
    private readonly ExecutionEngine _engine;
    private readonly ControlHandlers _control;
    private volatile bool _shutdownAnnounced;
    private readonly bool _wroteConnectionFile;
    private readonly Dictionary<string, long> _clients = new(StringComparer.Ordinal);
    private readonly Lock _clientsLock = new();
    private int _state = (int)KernelState.Starting;
    private long _lastActivityTicks = DateTimeOffset.UtcNow.UtcTicks;
    private int _stopRequested;
    private Task? _stopTask;

    private JupyterKernel(
        KernelStartOptions options, ConnectionInfo connection, ILoggerFactory loggerFactory, IKernelObserver observer,
        KernelTransport transport, Heartbeat heartbeat, bool wroteConnectionFile)
    {
        Options = options;
        Connection = connection;
        _observer = observer;
        _logger = loggerFactory.CreateLogger<JupyterKernel>();
        _signer = new MessageSigner(connection.Key);
        _transport = transport;
        _heartbeat = heartbeat;
        _wroteConnectionFile = wroteConnectionFile;
        SessionId = Guid.NewGuid().ToString();
        _messenger = new Messenger(_signer, transport, SessionId);
        _streams = new OutputStreams(_messenger);
        var context = new KernelContext
        {
            Options = options,
            LoggerFactory = loggerFactory,
            Observer = observer,
            Messenger = _messenger,
            Streams = _streams,
            History = new HistoryStore(),
            SetState = SetState,
        };
        _engine = new ExecutionEngine(context);
        _control = new ControlHandlers(_engine, context, () =>
        {
            _shutdownAnnounced = true; // the shutdown_reply went out on iopub already
            _ = StopAsync(TimeSpan.FromSeconds(5));
        });
    }

    public KernelStartOptions Options { get; }
    public string Id => Options.Id;
    public ConnectionInfo Connection { get; }
    public string? ConnectionFilePath => Options.ConnectionFilePath;
    public KernelState State => (KernelState)Volatile.Read(ref _state);
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastActivity => new(Interlocked.Read(ref _lastActivityTicks), TimeSpan.Zero);
    public int ExecutionCount => _engine.ExecutionCount;

    /// <summary>The kernel's session id, used in the header of every message it sends.</summary>
    public string SessionId { get; }

    /// <summary>Distinct client identities seen on shell/control recently.</summary>
    public int ConnectedClients
    {
        get
        {
            var cutoff = DateTimeOffset.UtcNow.UtcTicks - ClientWindow.Ticks;
            lock (_clientsLock)
            {
                PruneClients(cutoff);
                return _clients.Count;
            }
        }
    }

    /// <summary>Completes when the kernel has stopped (shutdown_request, StopAsync or failure).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Binds the sockets, writes the connection file and starts the threads.</summary>
    public static JupyterKernel Start(KernelStartOptions options, ILoggerFactory loggerFactory, IKernelObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<JupyterKernel>();

        var fromFile = options.UseExistingConnectionFile && options.ConnectionFilePath is { } existing && File.Exists(existing)
            ? ConnectionFile.Read(existing)
            : null;
        if (fromFile is not null && !string.IsNullOrEmpty(fromFile.Key) &&
            !string.Equals(fromFile.SignatureScheme, "hmac-sha256", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"Unsupported signature scheme '{fromFile.SignatureScheme}'; only hmac-sha256 is supported.");
        if (fromFile is not null && !string.Equals(fromFile.Transport, "tcp", StringComparison.OrdinalIgnoreCase))
            throw new NotSupportedException($"Unsupported transport '{fromFile.Transport}'; only tcp is supported.");

        var ip = fromFile?.Ip ?? options.Ip;
        var key = fromFile?.Key ?? options.Key;
        if (string.IsNullOrEmpty(key))
            logger.LogWarning("Kernel {KernelId} starts without a signing key: messages are not authenticated", options.Id);

        var transport = new KernelTransport(ip,
            fromFile?.ShellPort ?? options.ShellPort,
            fromFile?.IopubPort ?? options.IopubPort,
            fromFile?.StdinPort ?? options.StdinPort,
            fromFile?.ControlPort ?? options.ControlPort,
            options.MaxMessageSizeBytes,
            loggerFactory.CreateLogger<KernelTransport>());
        Heartbeat heartbeat;
        int hbPort;
        try
        {
            heartbeat = new Heartbeat(ip, fromFile?.HbPort ?? options.HbPort, loggerFactory.CreateLogger<Heartbeat>(), out hbPort);
        }
        catch
        {
            transport.Dispose();
            throw;
        }

        var connection = new ConnectionInfo
        {
            Transport = "tcp",
            Ip = ip,
            ShellPort = transport.ShellPort,
            IopubPort = transport.IopubPort,
            StdinPort = transport.StdinPort,
            ControlPort = transport.ControlPort,
            HbPort = hbPort,
            Key = key,
            SignatureScheme = "hmac-sha256",
            KernelName = fromFile?.KernelName ?? "llmspell",
        };

        var write = fromFile is null && options.ConnectionFilePath is not null;
        try
        {
            if (write) ConnectionFile.Write(options.ConnectionFilePath!, connection);
        }
        catch
        {
            heartbeat.Dispose();
            transport.Dispose();
            throw;
        }

        var kernel = new JupyterKernel(options, connection, loggerFactory, observer ?? NullKernelObserver.Instance, transport, heartbeat, write);
        kernel.Run();
        return kernel;
    }

    private void Run()
    {
        _engine.Start();
        try
        {
            if (!_engine.Ready.Wait(StartupTimeout))
                throw new TimeoutException("The Lua session did not start in time.");
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Kernel {KernelId} failed to start", Id);
            StopCore(TimeSpan.FromSeconds(2));
            throw;
        }
        _transport.Start(OnReceive, $"jupyter-poller:{Id}");
        _heartbeat.Start();
        _messenger.Status(null, KernelState.Starting);
        _messenger.Status(null, KernelState.Idle);
        SetState(KernelState.Idle);
        _logger.LogInformation("Kernel {KernelId} ready: shell {Shell}, iopub {IoPub}, stdin {Stdin}, control {Control}, hb {Hb} on {Ip}",
            Id, Connection.ShellPort, Connection.IopubPort, Connection.StdinPort, Connection.ControlPort, Connection.HbPort, Connection.Ip);
    }

    private void SetState(KernelState state)
    {
        if (State == KernelState.Dead) return;
        Volatile.Write(ref _state, (int)state);
    }

    /// <summary>Poller thread: decode, verify and dispatch one multipart message.</summary>
    private void OnReceive(Channel channel, List<byte[]> frames)
    {
        if (Volatile.Read(ref _stopRequested) != 0) return;
        var result = WireCodec.Decode(frames, _signer, Options.MaxMessageSizeBytes);
        if (!result.Ok)
        {
            Reject(channel, result.RejectReason!);
            return;
        }
        var msg = result.Message!;
        // Dates outside the replay window could be replays the guard has already forgotten.
        if (msg.Date is { } date && (DateTimeOffset.UtcNow - date).Duration() > ReplayWindow)
        {
            Reject(channel, RejectReasons.StaleDate);
            return;
        }
        if (!_replay.TryAccept(msg.ReplayKey))
        {
            Reject(channel, RejectReasons.Replay);
            return;
        }

        Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
        _observer.ClientActivity();
        if (channel is Channel.Shell or Channel.Control) TrackClient(msg.Identities);

        switch (channel)
        {
            case Channel.Shell:
            {
                var known = ShellHandlers.KnownTypes.Contains(msg.MsgType);
                Accepted(channel, msg, known);
                _engine.EnqueueShell(msg, known);
                break;
            }
            case Channel.Control:
            {
                var known = ControlHandlers.KnownTypes.Contains(msg.MsgType);
                Accepted(channel, msg, known);
                _control.Handle(msg, known);
                break;
            }
            case Channel.Stdin:
                if (msg.MsgType == "input_reply")
                {
                    Accepted(channel, msg, true);
                    var value = msg.Content["value"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue(out string? s) ? s : "";
                    if (!_engine.DeliverInput(value)) _logger.LogDebug("input_reply received while no input was pending");
                }
                else
                {
                    Accepted(channel, msg, false);
                }
                break;
        }
    }

    private void Accepted(Channel channel, JupyterMessage msg, bool known)
    {
        if (known)
        {
            _logger.LogDebug("{Channel} {MsgType} {MsgId}", channel.Name(), msg.MsgType, msg.MsgId);
            _observer.MessageReceived(channel.Name(), msg.MsgType);
        }
        else
        {
            _logger.LogWarning("Unknown message type {MsgType} on {Channel}", Truncate(msg.MsgType), channel.Name());
            _observer.MessageRejected(channel.Name(), RejectReasons.UnknownType);
        }
    }

    private void Reject(Channel channel, string reason)
    {
        _logger.LogWarning("Dropped a message on {Channel}: {Reason}", channel.Name(), reason);
        _observer.MessageRejected(channel.Name(), reason);
    }

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "…";

    private void TrackClient(IReadOnlyList<byte[]> identities)
    {
        if (identities.Count == 0) return;
        var id = Convert.ToHexString(identities[0]);
        var now = DateTimeOffset.UtcNow.UtcTicks;
        lock (_clientsLock)
        {
            var isNew = !_clients.ContainsKey(id);
            _clients[id] = now;
            if (isNew && _clients.Count > 1024) PruneClients(now - ClientWindow.Ticks);
        }
    }

    private void PruneClients(long cutoff)
    {
        List<string>? stale = null;
        foreach (var (id, seen) in _clients)
            if (seen < cutoff) (stale ??= []).Add(id);
        if (stale is null) return;
        foreach (var id in stale) _clients.Remove(id);
    }

    /// <summary>Interrupts the running execution, if any.</summary>
    public Task InterruptAsync()
    {
        _engine.Interrupt();
        return Task.CompletedTask;
    }

    /// <summary>Replaces the Lua state with a fresh one; sockets and connection stay.</summary>
    public Task RestartAsync()
    {
        Interlocked.Exchange(ref _lastActivityTicks, DateTimeOffset.UtcNow.UtcTicks);
        if (Volatile.Read(ref _stopRequested) != 0) return Task.CompletedTask;
        return _engine.RequestRestart();
    }

    /// <summary>Graceful stop: interrupt, publish shutdown, close sockets, remove the connection file.</summary>
    public Task StopAsync(TimeSpan timeout)
    {
        if (Interlocked.Exchange(ref _stopRequested, 1) != 0)
            return _stopTask ?? Stopped;
        var task = Task.Run(() => StopCore(timeout));
        _stopTask = task;
        return task;
    }

    private void StopCore(TimeSpan timeout)
    {
        Volatile.Write(ref _stopRequested, 1);
        if (timeout <= TimeSpan.Zero) timeout = TimeSpan.FromSeconds(1);
        var deadline = DateTime.UtcNow + timeout;
        TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, (deadline - DateTime.UtcNow).Ticks));
        try
        {
            _logger.LogInformation("Stopping kernel {KernelId}", Id);
            _engine.Stop(TimeSpan.FromTicks(Remaining().Ticks / 2));
            _streams.Flush();
            // Stopped by the host (SIGTERM, REST): tell subscribed front ends, as a client's shutdown_request would.
            if (!_shutdownAnnounced)
                _messenger.Publish(null, "shutdown_reply", new System.Text.Json.Nodes.JsonObject { ["status"] = "ok", ["restart"] = false });
            _transport.Stop(Remaining());
            _heartbeat.Dispose();
            _streams.Dispose();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Error while stopping kernel {KernelId}", Id);
        }
        finally
        {
            if (_wroteConnectionFile && ConnectionFilePath is { } path) ConnectionFile.TryDelete(path);
            Volatile.Write(ref _state, (int)KernelState.Dead);
            _stopped.TrySetResult();
            _logger.LogInformation("Kernel {KernelId} stopped", Id);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
}
