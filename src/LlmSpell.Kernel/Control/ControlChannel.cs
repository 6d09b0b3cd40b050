using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Control;

/// <summary>Control requests. Handled on the poller thread, so they act even while a cell runs.</summary>
internal sealed partial class ControlChannel(KernelContext context, ExecutionEngine engine, Action requestStop)
{
    /// <summary>Returns true when the kernel must stop once the reply is out.</summary>
    private delegate bool Handler(ControlChannel control, JupyterMessage msg);

    private static readonly HandlerTable<Handler> Table = new(new Dictionary<string, Handler>
    {
        ["kernel_info_request"] = static (c, m) => c.KernelInfo(m),
        ["interrupt_request"] = static (c, m) => c.Interrupt(m),
        ["shutdown_request"] = static (c, m) => c.Shutdown(m),
        ["debug_request"] = static (c, _) => c.IgnoreDebug(),
    });

    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<ControlChannel>();

    public static IReadOnlySet<string> KnownTypes => Table.Types;

    private Messenger Messenger => context.Messenger;

    public void Dispatch(JupyterMessage msg)
    {
        // No debugger is advertised in kernel_info: ignored like a kernel without debug support, without status messages.
        if (msg.MsgType == "debug_request")
        {
            IgnoreDebug();
            return;
        }

        var stop = false;
        Messenger.Status(msg.HeaderBytes, KernelState.Busy);
        try
        {
            if (Table.TryGet(msg.MsgType, out var handler)) stop = handler(this, msg);
            else Messenger.ReplyUnknown(msg, Channel.Control);
        }
        finally
        {
            Messenger.Status(msg.HeaderBytes, KernelState.Idle);
        }
        if (stop) requestStop();
    }

    private bool KernelInfo(JupyterMessage msg)
    {
        Messenger.Reply(msg, Channel.Control, "kernel_info_reply", Protocol.KernelInfo.Content());
        return false;
    }

    private bool Interrupt(JupyterMessage msg)
    {
        engine.Interrupt();
        Messenger.Reply(msg, Channel.Control, "interrupt_reply", new JsonObject { ["status"] = "ok" });
        return false;
    }

    private bool Shutdown(JupyterMessage msg)
    {
        var restart = Json.Bool(msg.Content, "restart", false);
        Log.ShutdownRequested(_logger, restart);
        // Schedule the restart before replying so requests sent after the reply run on the fresh state.
        if (restart) _ = engine.RequestRestart();
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        Messenger.Reply(msg, Channel.Control, "shutdown_reply", content);
        Messenger.Publish(msg.HeaderBytes, "shutdown_reply", (JsonObject)content.DeepClone());
        return !restart;
    }

    private bool IgnoreDebug()
    {
        Log.IgnoringDebugRequest(_logger);
        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(1120, LogLevel.Debug, "Ignoring debug_request")]
        public static partial void IgnoringDebugRequest(ILogger logger);

        [LoggerMessage(1121, LogLevel.Information, "shutdown_request received (restart={Restart})")]
        public static partial void ShutdownRequested(ILogger logger, bool restart);
    }
}
