using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel;

/// <summary>
/// One running Jupyter kernel: its sockets, its execution thread and its Lua state.
/// Start with <see cref="Start"/>; it is ready (sockets bound, connection file written) when Start returns.
/// </summary>
public sealed class JupyterKernel : IAsyncDisposable
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private JupyterKernel(KernelStartOptions options, ConnectionInfo connection)
    {
        Options = options;
        Connection = connection;
    }

    public KernelStartOptions Options { get; }
    public string Id => Options.Id;
    public ConnectionInfo Connection { get; }
    public string? ConnectionFilePath => Options.ConnectionFilePath;
    public KernelState State { get; private set; } = KernelState.Starting;
    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
    public DateTimeOffset LastActivity { get; private set; } = DateTimeOffset.UtcNow;
    public int ExecutionCount { get; private set; }

    /// <summary>Distinct client identities seen on shell/control recently.</summary>
    public int ConnectedClients { get; private set; }

    /// <summary>Completes when the kernel has stopped (shutdown_request, StopAsync or failure).</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Binds the sockets, writes the connection file and starts the threads.</summary>
    public static JupyterKernel Start(KernelStartOptions options, ILoggerFactory loggerFactory, IKernelObserver? observer = null)
    {
        // Placeholder until the ZeroMQ transport lands: state only, nothing bound.
        var kernel = new JupyterKernel(options, new ConnectionInfo { Ip = options.Ip, Key = options.Key });
        kernel.State = KernelState.Idle;
        return kernel;
    }

    /// <summary>Interrupts the running execution, if any.</summary>
    public Task InterruptAsync() => Task.CompletedTask;

    /// <summary>Replaces the Lua state with a fresh one; sockets and connection stay.</summary>
    public Task RestartAsync()
    {
        LastActivity = DateTimeOffset.UtcNow;
        return Task.CompletedTask;
    }

    /// <summary>Graceful stop: interrupt, publish shutdown, close sockets, remove the connection file.</summary>
    public Task StopAsync(TimeSpan timeout)
    {
        State = KernelState.Dead;
        _stopped.TrySetResult();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.FromSeconds(5));
}
