using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Stdin;
using LlmSpell.Kernel.Transport;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Lifecycle;

/// <summary>
/// Stops a kernel once, in order: release input and the execution thread, flush output, tell front ends,
/// close the sockets, remove the connection file the kernel wrote.
/// </summary>
internal sealed partial class KernelStopper(
    string kernelId, KernelStatus status, StdinBridge stdin, ExecutionEngine engine, OutputStreams streams,
    Messenger messenger, KernelSockets sockets, string? ownedConnectionFile, ILogger logger)
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shutdownAnnounced;
    private Task? _stopTask;

    public Task Stopped => _stopped.Task;

    /// <summary>A client's shutdown_request: its shutdown_reply went out on iopub already.</summary>
    public void StopAfterShutdownReply()
    {
        _shutdownAnnounced = true;
        _ = StopAsync(TimeSpan.FromSeconds(5));
    }

    public Task StopAsync(TimeSpan timeout)
    {
        if (!status.BeginStop()) return _stopTask ?? Stopped;
        var task = Task.Run(() => StopNow(timeout));
        _stopTask = task;
        return task;
    }

    public void StopNow(TimeSpan timeout)
    {
        status.BeginStop();
        if (timeout <= TimeSpan.Zero) timeout = TimeSpan.FromSeconds(1);
        var deadline = DateTime.UtcNow + timeout;
        TimeSpan Remaining() => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(100).Ticks, (deadline - DateTime.UtcNow).Ticks));
        try
        {
            Log.Stopping(logger, kernelId);
            stdin.Close();
            engine.Stop(TimeSpan.FromTicks(Remaining().Ticks / 2));
            streams.Flush();
            // Stopped by the host (SIGTERM, REST): tell subscribed front ends, as a client's shutdown_request would.
            if (!_shutdownAnnounced)
                messenger.Publish(null, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = false });
            sockets.Stop(Remaining());
            streams.Dispose();
        }
        catch (Exception ex)
        {
            Log.StopFailed(logger, ex, kernelId);
        }
        finally
        {
            if (ownedConnectionFile is not null) ConnectionFile.TryDelete(ownedConnectionFile);
            status.MarkDead();
            _stopped.TrySetResult();
            Log.Stopped(logger, kernelId);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1001, LogLevel.Information, "Kernel {KernelId} stopped")]
        public static partial void Stopped(ILogger logger, string kernelId);

        [LoggerMessage(1002, LogLevel.Information, "Stopping kernel {KernelId}")]
        public static partial void Stopping(ILogger logger, string kernelId);

        [LoggerMessage(1004, LogLevel.Error, "Error while stopping kernel {KernelId}")]
        public static partial void StopFailed(ILogger logger, Exception ex, string kernelId);
    }
}
