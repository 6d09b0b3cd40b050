using LlmSpell.Lua;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Execution;

/// <summary>What the engine tells the kernel around an interrupt and a restart.</summary>
internal sealed record EngineHooks
{
    /// <summary>Called first on every interrupt, from the interrupting thread.</summary>
    public Action Interrupting { get; init; } = static () => { };

    public Action Restarting { get; init; } = static () => { };

    /// <summary>Called after a restart, with true when a fresh Lua state replaced the old one.</summary>
    public Action<bool> Restarted { get; init; } = static _ => { };
}

/// <summary>
/// The dedicated execution thread: owns the LuaSession (all calls but Interrupt happen here) and
/// runs queued work on it in order; a restart goes ahead of queued work.
/// </summary>
internal sealed partial class ExecutionEngine
{
    private abstract record WorkItem;
    private sealed record RunWork(Action<LuaSession?> Action) : WorkItem;
    private sealed record RestartWork(TaskCompletionSource Done) : WorkItem;

    private readonly WorkQueue<WorkItem> _queue = new();
    private readonly Thread _thread;
    private readonly string _kernelId;
    private readonly LuaSessionOptions _luaOptions;
    private readonly EngineHooks _hooks;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile LuaSession? _session;
    private volatile bool _busy;

    public ExecutionEngine(string kernelId, LuaSessionOptions luaOptions, EngineHooks hooks, ILogger logger)
    {
        _kernelId = kernelId;
        // Jupyter front ends recognise an interrupted cell by this ename, as Python kernels report it.
        _luaOptions = luaOptions with { InterruptErrorName = "KeyboardInterrupt" };
        _hooks = hooks;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"jupyter-exec:{kernelId}" };
    }

    /// <summary>Completes when the first Lua state exists (or faults when it could not be created).</summary>
    public Task Ready => _ready.Task;

    public void Start() => _thread.Start();

    /// <summary>Queues work for the execution thread; it gets the current session (null after a failed restart). False once stopping.</summary>
    public bool Post(Action<LuaSession?> work) => _queue.Enqueue(new RunWork(work));

    /// <summary>Interrupts the running work, if any. Safe from any thread.</summary>
    public void Interrupt()
    {
        _hooks.Interrupting();
        // Busy, not only executing: an interrupt between taking the work and starting the script must land.
        if (!_busy) return;
        try
        {
            _session?.Interrupt();
        }
        catch (Exception ex)
        {
            Log.InterruptFailed(_logger, ex);
        }
    }

    /// <summary>Interrupts and schedules a restart ahead of queued work; completes when the fresh state is ready.</summary>
    public Task RequestRestart()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interrupt();
        if (!_queue.EnqueueFront(new RestartWork(done))) done.TrySetResult();
        return done.Task;
    }

    /// <summary>Stops accepting work, interrupts and waits (bounded) for the thread to finish.</summary>
    public bool Stop(TimeSpan timeout)
    {
        foreach (var item in _queue.Complete())
            if (item is RestartWork r) r.Done.TrySetResult();
        Interrupt();
        if (!_thread.IsAlive) return true;
        if (_thread.Join(timeout)) return true;
        Log.ThreadDidNotStop(_logger, timeout);
        return false;
    }

    private void Run()
    {
        try
        {
            _session = new LuaSession(_luaOptions);
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            Log.SessionCreateFailed(_logger, ex);
            _ready.TrySetException(ex);
            return;
        }

        try
        {
            while (_queue.Take() is { } item)
            {
                if (item is RestartWork restart) Restart(restart);
                else RunOnSession((RunWork)item);
            }
        }
        finally
        {
            DisposeSession();
        }
    }

    private void RunOnSession(RunWork work)
    {
        var session = _session;
        session?.ClearInterrupt();
        _busy = true;
        try
        {
            work.Action(session);
        }
        finally
        {
            _busy = false;
        }
    }

    private void Restart(RestartWork restart)
    {
        _hooks.Restarting();
        var fresh = false;
        try
        {
            DisposeSession();
            _session = new LuaSession(_luaOptions);
            fresh = true;
            Log.Restarted(_logger, _kernelId);
        }
        catch (Exception ex)
        {
            Log.RestartFailed(_logger, ex);
        }
        finally
        {
            _hooks.Restarted(fresh);
            restart.Done.TrySetResult();
        }
    }

    private void DisposeSession()
    {
        try { _session?.Dispose(); }
        catch (Exception ex) { Log.SessionDisposeFailed(_logger, ex); }
        _session = null;
    }

    private static partial class Log
    {
        [LoggerMessage(1040, LogLevel.Warning, "LuaSession.Interrupt failed")]
        public static partial void InterruptFailed(ILogger logger, Exception ex);

        [LoggerMessage(1041, LogLevel.Warning, "Execution thread did not stop within {Timeout}")]
        public static partial void ThreadDidNotStop(ILogger logger, TimeSpan timeout);

        [LoggerMessage(1042, LogLevel.Error, "Could not create the Lua session")]
        public static partial void SessionCreateFailed(ILogger logger, Exception ex);

        [LoggerMessage(1043, LogLevel.Warning, "Disposing the Lua session failed")]
        public static partial void SessionDisposeFailed(ILogger logger, Exception ex);

        [LoggerMessage(1044, LogLevel.Information, "Kernel {KernelId} restarted with a fresh Lua state")]
        public static partial void Restarted(ILogger logger, string kernelId);

        [LoggerMessage(1045, LogLevel.Error, "Restart failed: could not create a new Lua session")]
        public static partial void RestartFailed(ILogger logger, Exception ex);
    }
}
