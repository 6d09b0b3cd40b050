using LlmSpell.Kernel.Control;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Inbound;
using LlmSpell.Kernel.Lifecycle;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Shell;
using LlmSpell.Kernel.Startup;
using LlmSpell.Kernel.Stdin;
using LlmSpell.Kernel.Transport;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel;

/// <summary>
/// One running Jupyter kernel: its sockets, its execution thread and its Lua state.
/// Start with <see cref="Start"/>; it is ready (sockets bound, connection file written) when Start returns.
/// </summary>
public sealed partial class JupyterKernel : IAsyncDisposable
{
    private static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger;
    private readonly KernelSockets _sockets;
    private readonly KernelStatus _status = new();
    private readonly ClientTracker _clients;
    private readonly Messenger _messenger;
    private readonly ExecuteHandler _execute;
    private readonly ExecutionEngine _engine;
    private readonly InboundRouter _router;
    private readonly KernelStopper _stopper;

    private JupyterKernel(
        KernelStartOptions options, KernelSockets sockets, bool wroteConnectionFile, ILoggerFactory loggerFactory, IKernelObserver observer)
    {
        Options = options;
        _clients = new ClientTracker(ClientWindow, uncountedPrefix: options.UncountedClientPrefix);
        Connection = sockets.Bound;
        _sockets = sockets;
        _logger = loggerFactory.CreateLogger<JupyterKernel>();
        var signer = new MessageSigner(Connection.Key);
        _messenger = new Messenger(signer, sockets.Transport, SessionId);
        var streams = new OutputStreams(_messenger);
        var history = new HistoryStore();
        var context = new KernelContext
        {
            Options = options,
            LoggerFactory = loggerFactory,
            Observer = observer,
            Messenger = _messenger,
            Streams = streams,
            History = history,
            Status = _status,
        };
        var stdin = new StdinBridge(_messenger, streams, options.ExecutionTimeout, loggerFactory.CreateLogger<StdinBridge>());
        _execute = new ExecuteHandler(context, stdin);
        _engine = new ExecutionEngine(options.Id, options.Lua, new EngineHooks
        {
            Interrupting = stdin.Cancel,
            Restarting = () => _status.Set(KernelState.Restarting),
            Abandoned = observer.StateAbandoned,
            Restarted = fresh =>
            {
                if (fresh)
                {
                    _execute.ResetExecutionCount();
                    history.NewSession();
                }
                AnnounceFreshState();
            },
        }, loggerFactory.CreateLogger<ExecutionEngine>());
        _stopper = new KernelStopper(options.Id, _status, stdin, _engine, streams, _messenger, sockets,
            wroteConnectionFile ? options.ConnectionFilePath : null, _logger);
        _router = new InboundRouter(
            new InboundVerifier(signer, options.MaxMessageSizeBytes), _status, _clients, observer,
            new ShellChannel(context, _engine, _execute),
            new ControlChannel(context, _engine, _stopper.StopAfterShutdownReply),
            stdin, loggerFactory.CreateLogger<InboundRouter>());
    }

    public KernelStartOptions Options { get; }
    public string Id => Options.Id;
    public ConnectionInfo Connection { get; }
    public string? ConnectionFilePath => Options.ConnectionFilePath;
    public KernelState State => _status.State;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastActivity => _status.LastActivity;
    public int ExecutionCount => _execute.ExecutionCount;

    /// <summary>How long the running cell has ignored an interrupt; null when none is pending.</summary>
    public TimeSpan? InterruptPendingFor => _engine.InterruptPendingFor;

    /// <summary>Lua states abandoned because their thread was stuck in native code.</summary>
    public int AbandonedStates => _engine.AbandonedStates;

    /// <summary>The kernel's session id, used in the header of every message it sends.</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString();

    /// <summary>Distinct client identities seen on shell/control recently.</summary>
    public int ConnectedClients => _clients.Count;

    /// <summary>Completes when the kernel has stopped (shutdown_request, StopAsync or failure).</summary>
    public Task Stopped => _stopper.Stopped;

    /// <summary>Binds the sockets, writes the connection file and starts the threads.</summary>
    public static JupyterKernel Start(KernelStartOptions options, ILoggerFactory loggerFactory, IKernelObserver? observer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);

        var plan = ConnectionMerge.Merge(options, ConnectionMerge.ReadExisting(options));
        if (string.IsNullOrEmpty(plan.Requested.Key))
            Log.NoSigningKey(loggerFactory.CreateLogger<JupyterKernel>(), options.Id);
        var sockets = KernelSockets.Bind(plan.Requested, options.MaxMessageSizeBytes, loggerFactory);
        try
        {
            if (plan.WritesFile) ConnectionFile.Write(options.ConnectionFilePath!, sockets.Bound);
        }
        catch
        {
            sockets.Dispose();
            throw;
        }

        var kernel = new JupyterKernel(options, sockets, plan.WritesFile, loggerFactory, observer ?? NullKernelObserver.Instance);
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
            Log.StartFailed(_logger, ex, Id);
            _stopper.StopNow(TimeSpan.FromSeconds(2));
            throw;
        }
        _sockets.Start(_router.OnReceive, $"jupyter-poller:{Id}");
        AnnounceFreshState();
        var c = Connection;
        Log.Ready(_logger, Id, c.ShellPort, c.IopubPort, c.StdinPort, c.ControlPort, c.HbPort, c.Ip, ConnectionFilePath ?? "none");
    }

    /// <summary>A new Lua state (start or restart) is idle: front ends see starting, then idle.</summary>
    private void AnnounceFreshState()
    {
        _messenger.Status(null, KernelState.Starting);
        _messenger.Status(null, KernelState.Idle);
        _status.Set(KernelState.Idle);
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
        _status.Touch();
        return _status.IsStopping ? Task.CompletedTask : _engine.RequestRestart();
    }

    /// <summary>Graceful stop: interrupt, publish shutdown, close sockets, remove the connection file.</summary>
    public Task StopAsync(TimeSpan timeout) => _stopper.StopAsync(timeout);

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(1000, LogLevel.Information,
            "Kernel {KernelId} ready: shell {Shell}, iopub {IoPub}, stdin {Stdin}, control {Control}, hb {Hb} on {Ip}, connection file {ConnectionFile}")]
        public static partial void Ready(ILogger logger, string kernelId, int shell, int ioPub, int stdin, int control, int hb, string ip, string? connectionFile);

        [LoggerMessage(1003, LogLevel.Error, "Kernel {KernelId} failed to start")]
        public static partial void StartFailed(ILogger logger, Exception ex, string kernelId);

        [LoggerMessage(1005, LogLevel.Warning, "Kernel {KernelId} starts without a signing key: messages are not authenticated")]
        public static partial void NoSigningKey(ILogger logger, string kernelId);
    }
}
