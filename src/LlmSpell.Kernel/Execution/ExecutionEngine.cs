using System.Diagnostics;
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

    /// <summary>Called when a stuck thread and its Lua state were given up for a fresh one.</summary>
    public Action Abandoned { get; init; } = static () => { };
}

/// <summary>
/// The dedicated execution thread: owns the LuaSession (all calls but Interrupt happen here) and
/// runs queued work on it in order; a restart goes ahead of queued work.
/// If the thread is stuck where no interrupt reaches (native code that runs with Lua's hooks off) and a restart is
/// asked for, the engine abandons that thread and its Lua state after <see cref="AbandonAfter"/> and carries on
/// with a fresh thread, so a wedged cell never wedges the kernel.
/// </summary>
internal sealed partial class ExecutionEngine
{
    private abstract record WorkItem;
    private sealed record RunWork(Action<LuaSession?> Action) : WorkItem;
    private sealed record RestartWork(TaskCompletionSource Done) : WorkItem;

    /// <summary>One execution thread and the Lua state only it touches.</summary>
    private sealed class Worker(Thread thread)
    {
        public Thread Thread { get; } = thread;
        public volatile LuaSession? Session;
        public volatile bool Busy;
        /// <summary>Stopwatch timestamp of the first interrupt the running work has not yet honoured; 0 = none.</summary>
        public long InterruptPendingSince;
    }

    public static readonly TimeSpan AbandonAfter = TimeSpan.FromSeconds(3);

    private readonly WorkQueue<WorkItem> _queue = new();
    private readonly string _kernelId;
    private readonly LuaSessionOptions _luaOptions;
    private readonly EngineHooks _hooks;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Worker _current;
    private int _abandoned;

    public ExecutionEngine(string kernelId, LuaSessionOptions luaOptions, EngineHooks hooks, ILogger logger)
    {
        _kernelId = kernelId;
        // Jupyter front ends recognise an interrupted cell by this ename, as Python kernels report it.
        _luaOptions = luaOptions with { InterruptErrorName = "KeyboardInterrupt" };
        _hooks = hooks;
        _logger = logger;
        _current = NewWorker(createSession: true);
    }

    /// <summary>Completes when the first Lua state exists (or faults when it could not be created).</summary>
    public Task Ready => _ready.Task;

    /// <summary>Lua states given up because their thread never came back from native code.</summary>
    public int AbandonedStates => Volatile.Read(ref _abandoned);

    /// <summary>How long the running work has ignored an interrupt; null when none is pending.</summary>
    public TimeSpan? InterruptPendingFor
    {
        get
        {
            var worker = _current;
            var since = Interlocked.Read(ref worker.InterruptPendingSince);
            return worker.Busy && since != 0 ? Stopwatch.GetElapsedTime(since) : null;
        }
    }

    public void Start() => _current.Thread.Start();

    /// <summary>Queues work for the execution thread; it gets the current session (null after a failed restart). False once stopping.</summary>
    public bool Post(Action<LuaSession?> work) => _queue.Enqueue(new RunWork(work));

    /// <summary>Interrupts the running work, if any. Safe from any thread.</summary>
    public void Interrupt()
    {
        _hooks.Interrupting();
        var worker = _current;
        // Busy, not only executing: an interrupt between taking the work and starting the script must land.
        if (!worker.Busy) return;
        Interlocked.CompareExchange(ref worker.InterruptPendingSince, Stopwatch.GetTimestamp(), 0);
        try
        {
            worker.Session?.Interrupt();
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
        else _ = AbandonIfStuckAsync(_current, done);
        return done.Task;
    }

    /// <summary>Stops accepting work, interrupts and waits (bounded) for the thread to finish.</summary>
    public bool Stop(TimeSpan timeout)
    {
        foreach (var item in _queue.Complete())
            if (item is RestartWork r) r.Done.TrySetResult();
        Interrupt();
        var thread = _current.Thread;
        if (!thread.IsAlive) return true;
        if (thread.Join(timeout)) return true;
        Log.ThreadDidNotStop(_logger, timeout);
        return false;
    }

    /// <param name="restart">For a worker that replaces a stuck one: the restart it completes first.</param>
    private Worker NewWorker(bool createSession, RestartWork? restart = null)
    {
        Worker? worker = null;
        var thread = new Thread(() => Run(worker!, createSession, restart)) { IsBackground = true, Name = $"jupyter-exec:{_kernelId}" };
        worker = new Worker(thread);
        return worker;
    }

    private async Task AbandonIfStuckAsync(Worker worker, TaskCompletionSource restarted)
    {
        if (await Task.WhenAny(restarted.Task, Task.Delay(AbandonAfter)).ConfigureAwait(false) == restarted.Task) return;
        // Stuck in a cell, or in the restart itself (closing the old state runs its finalizers).
        if (!ReferenceEquals(worker, _current)) return;
        // The stuck thread keeps its Lua state (freeing it under a running thread would crash); the fresh
        // worker completes the restart and answers everything queued after it.
        var fresh = NewWorker(createSession: false, new RestartWork(restarted));
        _current = fresh;
        Interlocked.Increment(ref _abandoned);
        Log.Abandoned(_logger, _kernelId, AbandonAfter);
        _hooks.Abandoned();
        fresh.Thread.Start();
    }

    private void Run(Worker worker, bool createSession, RestartWork? takeover)
    {
        if (takeover is not null) Restart(worker, takeover);
        if (createSession)
        {
            try
            {
                worker.Session = new LuaSession(_luaOptions);
                _ready.TrySetResult();
            }
            catch (Exception ex)
            {
                Log.SessionCreateFailed(_logger, ex);
                _ready.TrySetException(ex);
                return;
            }
        }

        try
        {
            // An abandoned worker that comes back stops here: its queue now belongs to its successor.
            while (ReferenceEquals(worker, _current) && _queue.Take() is { } item)
            {
                if (!ReferenceEquals(worker, _current))
                {
                    _queue.EnqueueFront(item);
                    break;
                }
                if (item is RestartWork restart) Restart(worker, restart);
                else RunOnSession(worker, (RunWork)item);
            }
        }
        finally
        {
            DisposeSession(worker);
        }
    }

    private static void RunOnSession(Worker worker, RunWork work)
    {
        var session = worker.Session;
        session?.ClearInterrupt();
        worker.Busy = true;
        try
        {
            work.Action(session);
        }
        finally
        {
            worker.Busy = false;
            Interlocked.Exchange(ref worker.InterruptPendingSince, 0);
        }
    }

    private void Restart(Worker worker, RestartWork restart)
    {
        // A restart already completed by the worker that replaced a stuck one is not done twice.
        if (restart.Done.Task.IsCompleted) return;
        _hooks.Restarting();
        var fresh = false;
        try
        {
            DisposeSession(worker);
            worker.Session = new LuaSession(_luaOptions);
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

    private void DisposeSession(Worker worker)
    {
        try { worker.Session?.Dispose(); }
        catch (Exception ex) { Log.SessionDisposeFailed(_logger, ex); }
        worker.Session = null;
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

        [LoggerMessage(1046, LogLevel.Error, "Kernel {KernelId}: the execution thread ignored an interrupt for {Wait} (stuck in native code); its Lua state is abandoned and a fresh one takes over")]
        public static partial void Abandoned(ILogger logger, string kernelId, TimeSpan wait);
    }
}
