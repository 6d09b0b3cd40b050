using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Stdin;

/// <summary>
/// The one pending input request: the execution thread blocks in <see cref="WaitForInput"/> until the
/// poller delivers the input_reply, an interrupt cancels it, or the kernel stops.
/// </summary>
internal sealed partial class StdinBridge(Messenger messenger, OutputStreams streams, TimeSpan timeout, ILogger logger)
{
    private delegate void Handler(StdinBridge stdin, JupyterMessage msg);

    private static readonly HandlerTable<Handler> Table = new(new Dictionary<string, Handler>
    {
        ["input_reply"] = static (stdin, msg) => stdin.InputReply(msg),
    });

    private volatile TaskCompletionSource<string?>? _pending;
    private volatile bool _interrupted;
    private volatile bool _closed;

    public static IReadOnlySet<string> KnownTypes => Table.Types;

    /// <summary>Poller thread: handles a verified stdin message; unknown types are ignored.</summary>
    public void Dispatch(JupyterMessage msg)
    {
        if (Table.TryGet(msg.MsgType, out var handler)) handler(this, msg);
    }

    /// <summary>Execution thread: sends input_request and blocks for the reply; null when interrupted, timed out or stopping.</summary>
    public string? WaitForInput(JupyterMessage request, string prompt, bool password)
    {
        if (_closed) return null;
        var tcs = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending = tcs;
        try
        {
            streams.Flush();
            messenger.Reply(request, Channel.Stdin, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password });
            if (_closed) return null;
            if (timeout > TimeSpan.Zero)
                return tcs.Task.Wait(timeout) ? tcs.Task.Result : null;
            return tcs.Task.Result;
        }
        finally
        {
            Interlocked.CompareExchange(ref _pending, null, tcs);
        }
    }

    /// <summary>Interrupt: releases a pending input request with null.</summary>
    public void Cancel()
    {
        var pending = _pending;
        if (pending is null || pending.Task.IsCompleted) return;
        // Flag first: the execution thread resumes as soon as the result is set.
        _interrupted = true;
        pending.TrySetResult(null);
    }

    /// <summary>Kernel stop: no further input requests are sent, a pending one is released.</summary>
    public void Close()
    {
        _closed = true;
        Cancel();
    }

    public void ResetInterrupted() => _interrupted = false;

    /// <summary>True (once) when the current execution's input request was cancelled by an interrupt.</summary>
    public bool ConsumeInterrupted()
    {
        var value = _interrupted;
        _interrupted = false;
        return value;
    }

    private void InputReply(JupyterMessage msg)
    {
        var value = msg.Content["value"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
        if (!(_pending?.TrySetResult(value) ?? false)) Log.InputReplyWithoutRequest(logger);
    }

    private static partial class Log
    {
        [LoggerMessage(1060, LogLevel.Debug, "input_reply received while no input was pending")]
        public static partial void InputReplyWithoutRequest(ILogger logger);
    }
}
