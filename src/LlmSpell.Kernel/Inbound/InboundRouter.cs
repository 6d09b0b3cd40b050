using LlmSpell.Kernel.Control;
using LlmSpell.Kernel.Lifecycle;
using LlmSpell.Kernel.Logging;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Shell;
using LlmSpell.Kernel.Stdin;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Kernel.Inbound;

/// <summary>Poller thread: verifies each incoming message, records activity and hands it to its channel.</summary>
internal sealed partial class InboundRouter(
    InboundVerifier verifier, KernelStatus status, ClientTracker clients, IKernelObserver observer,
    ShellChannel shell, ControlChannel control, StdinBridge stdin, ILogger logger)
{
    public void OnReceive(Channel channel, List<byte[]> frames)
    {
        if (status.IsStopping) return;
        var result = verifier.Verify(frames);
        if (!result.Ok)
        {
            Log.MessageDropped(logger, channel.Name(), result.RejectReason!);
            observer.MessageRejected(channel.Name(), result.RejectReason!);
            return;
        }
        var msg = result.Message!;
        status.Touch();
        observer.ClientActivity();

        switch (channel)
        {
            case Channel.Shell:
                clients.Seen(msg.Identities);
                Accepted(channel, msg, ShellChannel.KnownTypes);
                shell.Dispatch(msg);
                break;
            case Channel.Control:
                clients.Seen(msg.Identities);
                Accepted(channel, msg, ControlChannel.KnownTypes);
                control.Dispatch(msg);
                break;
            case Channel.Stdin:
                Accepted(channel, msg, StdinBridge.KnownTypes);
                stdin.Dispatch(msg);
                break;
        }
    }

    private void Accepted(Channel channel, JupyterMessage msg, IReadOnlySet<string> knownTypes)
    {
        if (knownTypes.Contains(msg.MsgType))
        {
            Log.MessageAccepted(logger, channel.Name(), LogSafe.Escape(msg.MsgType), LogSafe.Escape(msg.MsgId));
            observer.MessageReceived(channel.Name(), msg.MsgType);
        }
        else
        {
            Log.UnknownMessageType(logger, LogSafe.Escape(msg.MsgType), channel.Name());
            observer.MessageRejected(channel.Name(), RejectReasons.UnknownType);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1020, LogLevel.Debug, "{Channel} {MsgType} {MsgId}")]
        public static partial void MessageAccepted(ILogger logger, string channel, string msgType, string msgId);

        [LoggerMessage(1021, LogLevel.Warning, "Unknown message type {MsgType} on {Channel}")]
        public static partial void UnknownMessageType(ILogger logger, string msgType, string channel);

        [LoggerMessage(1022, LogLevel.Warning, "Dropped a message on {Channel}: {Reason}")]
        public static partial void MessageDropped(ILogger logger, string channel, string reason);
    }
}
