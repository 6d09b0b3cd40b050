using System.Text.Json.Nodes;
using LlmSpell.Kernel.Transport;

namespace LlmSpell.Kernel.Protocol;

/// <summary>Builds, signs and queues outgoing messages. Thread-safe.</summary>
internal sealed class Messenger(MessageSigner signer, KernelTransport transport, string session)
{
    public string Session { get; } = session;

    /// <summary>Replies to a request on the channel it came from (or another ROUTER channel) to the same identities.</summary>
    public void Reply(JupyterMessage request, Channel channel, string msgType, JsonObject content)
    {
        var frames = WireCodec.Encode(signer, request.Identities, WireCodec.NewHeader(msgType, Session), request.HeaderBytes, null, content);
        transport.Send(channel, frames);
    }

    /// <summary>Publishes on iopub with topic kernel.&lt;session&gt;.&lt;msg_type&gt;.</summary>
    public void Publish(byte[]? parentHeader, string msgType, JsonObject content)
    {
        var topic = new[] { WireCodec.Topic(Session, msgType) };
        var frames = WireCodec.Encode(signer, topic, WireCodec.NewHeader(msgType, Session), parentHeader, null, content);
        transport.Send(Channel.IoPub, frames);
    }

    public void Status(byte[]? parentHeader, KernelState state) =>
        Publish(parentHeader, "status", new JsonObject { ["execution_state"] = state.ToWire() });

    /// <summary>An unknown request gets an error reply of the matching reply type; other unknown messages get none.</summary>
    public void ReplyUnknown(JupyterMessage msg, Channel channel)
    {
        if (IsRequest(msg.MsgType))
            Reply(msg, channel, ReplyType(msg.MsgType), ErrorContent("UnknownMessageType", $"Unknown message type '{msg.MsgType}'"));
    }

    public static bool IsRequest(string msgType) => msgType.EndsWith("_request", StringComparison.Ordinal);

    /// <summary>Reply type for a request type: "foo_request" → "foo_reply"; anything else gets "_reply" appended.</summary>
    public static string ReplyType(string requestType) =>
        requestType.EndsWith("_request", StringComparison.Ordinal) ? requestType[..^"_request".Length] + "_reply" : requestType + "_reply";

    public static JsonObject ErrorContent(string ename, string evalue, IEnumerable<string>? traceback = null)
    {
        var tb = new JsonArray();
        foreach (var line in traceback ?? []) tb.Add((JsonNode?)JsonValue.Create(line));
        return new JsonObject { ["status"] = "error", ["ename"] = ename, ["evalue"] = evalue, ["traceback"] = tb };
    }
}
