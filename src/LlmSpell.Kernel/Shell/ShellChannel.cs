using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Logging;
using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Shell;

/// <summary>
/// Shell requests: queued on the execution engine in arrival order and handled there one at a time,
/// between busy and idle status messages.
/// </summary>
internal sealed partial class ShellChannel(KernelContext context, ExecutionEngine engine, ExecuteHandler execute)
{
    private delegate void Handler(ShellChannel shell, ShellRequest request);

    private static readonly HandlerTable<Handler> Table = new(new Dictionary<string, Handler>
    {
        ["execute_request"] = static (s, r) => s._execute.Handle(r),
        ["kernel_info_request"] = static (s, r) => s._queries.KernelInfo(r),
        ["is_complete_request"] = static (s, r) => s._queries.IsComplete(r),
        ["complete_request"] = static (s, r) => s._queries.Complete(r),
        ["inspect_request"] = static (s, r) => s._queries.Inspect(r),
        ["history_request"] = static (s, r) => s._queries.History(r),
        ["comm_info_request"] = static (s, r) => s._queries.CommInfo(r),
        ["comm_open"] = static (s, r) => s._queries.CommOpen(r),
        // Nothing is ever open, so there is nothing to send to or close.
        ["comm_msg"] = static (_, _) => { },
        ["comm_close"] = static (_, _) => { },
    });

    private readonly ExecuteHandler _execute = execute;
    private readonly ShellQueries _queries = new(context);
    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<ShellChannel>();

    public static IReadOnlySet<string> KnownTypes => Table.Types;

    private Messenger Messenger => context.Messenger;

    /// <summary>Poller thread: stamps the request and queues it.</summary>
    public void Dispatch(JupyterMessage msg)
    {
        var stamp = _execute.StopOnError.Stamp();
        if (!engine.Post(session => Handle(new ShellRequest(msg, stamp, session))))
            Log.DroppedWhileStopping(_logger, LogSafe.Escape(msg.MsgType));
    }

    private void Handle(ShellRequest request)
    {
        var msg = request.Message;
        context.Status.Set(KernelState.Busy);
        Messenger.Status(msg.HeaderBytes, KernelState.Busy);
        try
        {
            if (Table.TryGet(msg.MsgType, out var handler)) handler(this, request);
            else Messenger.ReplyUnknown(msg, Channel.Shell);
        }
        catch (Exception ex)
        {
            Log.HandlerFailed(_logger, ex, LogSafe.Escape(msg.MsgType));
            if (Messenger.IsRequest(msg.MsgType))
                Messenger.Reply(msg, Channel.Shell, Messenger.ReplyType(msg.MsgType), Messenger.ErrorContent(ex.GetType().Name, ex.Message));
        }
        finally
        {
            context.Streams.Flush();
            Messenger.Status(msg.HeaderBytes, KernelState.Idle);
            context.Status.SetIdleUnlessStopping();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1100, LogLevel.Debug, "Dropping {MsgType}: kernel is stopping")]
        public static partial void DroppedWhileStopping(ILogger logger, string msgType);

        [LoggerMessage(1101, LogLevel.Error, "Handler for {MsgType} failed")]
        public static partial void HandlerFailed(ILogger logger, Exception ex, string msgType);
    }
}
