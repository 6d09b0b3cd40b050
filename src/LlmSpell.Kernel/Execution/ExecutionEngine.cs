using System.Diagnostics;
using LlmSpell.Kernel.Handlers;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Lua;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Execution;

internal abstract record WorkItem;

/// <summary>A shell request, with the order it was received in (for stop_on_error aborts).</summary>
internal sealed record ShellWork(JupyterMessage Message, long Sequence, bool Known) : WorkItem;

/// <summary>Replace the Lua state with a fresh one.</summary>
internal sealed record RestartWork(TaskCompletionSource Done) : WorkItem;

/// <summary>
/// The dedicated execution thread: owns the LuaSession (all calls but Interrupt happen here) and
/// processes shell requests in the order they were received.
/// </summary>
internal sealed class ExecutionEngine : IDisposable
{
    private readonly KernelContext _context;
    private readonly WorkQueue<WorkItem> _queue = new();
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ShellHandlers _handlers;
    private volatile LuaSession? _session;
    private volatile bool _executing;
    private volatile bool _busy;
    private volatile bool _stopping;
    private volatile bool _inputInterrupted;
    private volatile TaskCompletionSource<string?>? _pendingInput;
    private long _lastEnqueuedSequence;
    private int _executionCount;

    public ExecutionEngine(KernelContext context)
    {
        _context = context;
        _logger = context.LoggerFactory.CreateLogger<ExecutionEngine>();
        _handlers = new ShellHandlers(this, context);
        _thread = new Thread(Run) { IsBackground = true, Name = $"jupyter-exec:{context.Options.Id}" };
    }

    public Task Ready => _ready.Task;
    public int ExecutionCount => Volatile.Read(ref _executionCount);
    public long LastEnqueuedSequence => Interlocked.Read(ref _lastEnqueuedSequence);
    internal LuaSession? Session => _session;
    internal bool IsExecuting { get => _executing; set => _executing = value; }

    /// <summary>Execute requests with a sequence number up to this are answered "aborted" (stop_on_error).</summary>
    internal long AbortThroughSequence { get; set; } = -1;

    internal int NextExecutionCount() => Interlocked.Increment(ref _executionCount);

    public void Start() => _thread.Start();

    /// <summary>Queues a shell request (poller thread).</summary>
    public void EnqueueShell(JupyterMessage message, bool known)
    {
        var seq = Interlocked.Increment(ref _lastEnqueuedSequence);
        if (!_queue.Enqueue(new ShellWork(message, seq, known)))
            _logger.LogDebug("Dropping {MsgType}: kernel is stopping", message.MsgType);
    }

    /// <summary>Interrupts the running execution (and a pending input request). Safe from any thread.</summary>
    public void Interrupt()
    {
        CancelInput();
        // Busy, not only executing: an interrupt between taking the request and starting the script must land.
        if (!_busy) return;
        try
        {
            _session?.Interrupt();
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "LuaSession.Interrupt failed");
        }
    }

    /// <summary>Interrupts and schedules a restart ahead of queued requests; completes when the fresh state is ready.</summary>
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
        _stopping = true;
        var rest = _queue.Complete();
        foreach (var item in rest)
            if (item is RestartWork r) r.Done.TrySetResult();
        Interrupt();
        if (!_thread.IsAlive) return true;
        if (_thread.Join(timeout)) return true;
        _logger.LogWarning("Execution thread did not stop within {Timeout}", timeout);
        return false;
    }

    public bool IsStopping => _stopping;

    private void Run()
    {
        try
        {
            _session = CreateSession();
            _ready.TrySetResult();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Could not create the Lua session");
            _ready.TrySetException(ex);
            return;
        }

        try
        {
            while (_queue.Take() is { } item)
            {
                switch (item)
                {
                    case RestartWork restart:
                        DoRestart(restart);
                        break;
                    case ShellWork work:
                        Process(work);
                        break;
                }
            }
        }
        finally
        {
            try { _session?.Dispose(); }
            catch (Exception ex) { _logger.LogWarning(ex, "Disposing the Lua session failed"); }
            _session = null;
        }
    }

    private LuaSession CreateSession()
    {
        return new LuaSession(_context.Options.Lua);
    }

    private void DoRestart(RestartWork restart)
    {
        _context.SetState(KernelState.Restarting);
        try
        {
            try { _session?.Dispose(); }
            catch (Exception ex) { _logger.LogWarning(ex, "Disposing the Lua session failed during restart"); }
            _session = null;
            _session = CreateSession();
            Volatile.Write(ref _executionCount, 0);
            _context.History.NewSession();
            _logger.LogInformation("Kernel {KernelId} restarted with a fresh Lua state", _context.Options.Id);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Restart failed: could not create a new Lua session");
        }
        finally
        {
            _context.Messenger.Status(null, KernelState.Starting);
            _context.Messenger.Status(null, KernelState.Idle);
            _context.SetState(KernelState.Idle);
            restart.Done.TrySetResult();
        }
    }

    private void Process(ShellWork work)
    {
        var msg = work.Message;
        _session?.ClearInterrupt();
        _busy = true;
        _context.SetState(KernelState.Busy);
        _context.Messenger.Status(msg.HeaderBytes, KernelState.Busy);
        try
        {
            _handlers.Handle(work);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Handler for {MsgType} failed", msg.MsgType);
            if (msg.MsgType.EndsWith("_request", StringComparison.Ordinal))
                _context.Messenger.Reply(msg, Channel.Shell, Messenger.ReplyType(msg.MsgType),
                    Messenger.ErrorContent(ex.GetType().Name, ex.Message));
        }
        finally
        {
            _context.Streams.Flush();
            _busy = false;
            _context.Messenger.Status(msg.HeaderBytes, KernelState.Idle);
            if (!_stopping) _context.SetState(KernelState.Idle);
        }
    }

    /// <summary>Runs code with the execution flag set so interrupts reach it.</summary>
    internal ExecutionOutcome RunGuarded(Func<LuaSession, ExecutionOutcome> action, out TimeSpan duration)
    {
        var sw = Stopwatch.StartNew();
        var session = _session;
        try
        {
            if (session is null) return ExecutionOutcome.Failed(new LuaError("KernelError", "No Lua session is available", []));
            _inputInterrupted = false;
            _executing = true;
            return action(session);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Lua execution threw");
            return ExecutionOutcome.Failed(new LuaError(ex.GetType().Name, ex.Message, []));
        }
        finally
        {
            _executing = false;
            duration = sw.Elapsed;
        }
    }

    /// <summary>Blocks the execution thread until an input_reply arrives, the request is interrupted, or the kernel stops.</summary>
    internal string? WaitForInput(JupyterMessage request, string prompt, bool password)
    {
        if (_stopping) return null;
        var tcs = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingInput = tcs;
        try
        {
            _context.Streams.Flush();
            _context.Messenger.Reply(request, Channel.Stdin, "input_request",
                new System.Text.Json.Nodes.JsonObject { ["prompt"] = prompt, ["password"] = password });
            if (_stopping) return null;
            var timeout = _context.Options.ExecutionTimeout;
            if (timeout > TimeSpan.Zero)
                return tcs.Task.Wait(timeout) ? tcs.Task.Result : null;
            return tcs.Task.Result;
        }
        finally
        {
            Interlocked.CompareExchange(ref _pendingInput, null, tcs);
        }
    }

    /// <summary>Delivers an input_reply (poller thread). Returns false when no input was pending.</summary>
    public bool DeliverInput(string value) => _pendingInput?.TrySetResult(value) ?? false;

    private void CancelInput()
    {
        var pending = _pendingInput;
        if (pending is null || pending.Task.IsCompleted) return;
        // Flag first: the execution thread resumes as soon as the result is set.
        _inputInterrupted = true;
        pending.TrySetResult(null);
    }

    /// <summary>True (once) when the current execution's input request was cancelled by an interrupt.</summary>
    internal bool ConsumeInputInterrupted()
    {
        var value = _inputInterrupted;
        _inputInterrupted = false;
        return value;
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(2));
}
