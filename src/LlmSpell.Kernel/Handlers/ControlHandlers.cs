using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Handlers;

/// <summary>Control channel handlers. Run on the poller thread, so they act even while a cell runs.</summary>
internal sealed class ControlHandlers(ExecutionEngine engine, KernelContext context, Action requestStop)
{
    public static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "kernel_info_request", "interrupt_request", "shutdown_request", "debug_request",
    };

    private readonly ILogger _logger = context.LoggerFactory.CreateLogger<ControlHandlers>();
    private Messenger Messenger => context.Messenger;

    public void Handle(JupyterMessage msg, bool known)
    {
        if (msg.MsgType == "debug_request")
        {
            // No debugger is advertised in kernel_info; ignore like a kernel without debug support.
            _logger.LogDebug("Ignoring debug_request");
            return;
        }

        var stop = false;
        Messenger.Status(msg.HeaderBytes, KernelState.Busy);
        try
        {
            if (!known)
            {
                if (msg.MsgType.EndsWith("_request", StringComparison.Ordinal))
                    Messenger.Reply(msg, Channel.Control, Messenger.ReplyType(msg.MsgType),
                        Messenger.ErrorContent("UnknownMessageType", $"Unknown message type '{msg.MsgType}'"));
                return;
            }

            switch (msg.MsgType)
            {
                case "kernel_info_request":
                    Messenger.Reply(msg, Channel.Control, "kernel_info_reply", KernelInfo.Content());
                    break;
                case "interrupt_request":
                    engine.Interrupt();
                    Messenger.Reply(msg, Channel.Control, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                    break;
                case "shutdown_request":
                    stop = Shutdown(msg);
                    break;
            }
        }
        finally
        {
            Messenger.Status(msg.HeaderBytes, KernelState.Idle);
        }
        if (stop) requestStop();
    }

    /// <summary>Replies to shutdown_request; returns true when the kernel must stop.</summary>
    private bool Shutdown(JupyterMessage msg)
    {
        var restart = Json.Bool(msg.Content, "restart", false);
        _logger.LogInformation("shutdown_request received (restart={Restart})", restart);
        // Schedule the restart before replying so requests sent after the reply run on the fresh state.
        if (restart) _ = engine.RequestRestart();
        var content = new JsonObject { ["status"] = "ok", ["restart"] = restart };
        Messenger.Reply(msg, Channel.Control, "shutdown_reply", content);
        Messenger.Publish(msg.HeaderBytes, "shutdown_reply", (JsonObject)content.DeepClone());
        return !restart;
    }
}
