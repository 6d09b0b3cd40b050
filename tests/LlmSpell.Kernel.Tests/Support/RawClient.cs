using System.Text.Json.Nodes;
using LlmSpell.Kernel;
using LlmSpell.Kernel.Protocol;
using NetMQ;
using NetMQ.Sockets;

namespace LlmSpell.Kernel.Tests.Support;

/// <summary>A minimal C# Jupyter client over NetMQ for protocol-level tests.</summary>
public sealed class RawClient : IDisposable
{
    private readonly MessageSigner _signer;
    private readonly string _session = Guid.NewGuid().ToString();

    public RawClient(ConnectionInfo connection, string? key = null)
    {
        _signer = new MessageSigner(key ?? connection.Key);
        var identity = System.Text.Encoding.ASCII.GetBytes(_session);
        Shell = new DealerSocket();
        Control = new DealerSocket();
        Stdin = new DealerSocket();
        foreach (var s in new[] { Shell, Control, Stdin })
        {
            s.Options.Identity = identity;
            s.Options.Linger = TimeSpan.Zero;
        }
        IoPub = new SubscriberSocket();
        IoPub.Options.Linger = TimeSpan.Zero;
        IoPub.SubscribeToAnyTopic();
        Shell.Connect($"tcp://{connection.Ip}:{connection.ShellPort}");
        Control.Connect($"tcp://{connection.Ip}:{connection.ControlPort}");
        Stdin.Connect($"tcp://{connection.Ip}:{connection.StdinPort}");
        IoPub.Connect($"tcp://{connection.Ip}:{connection.IopubPort}");
    }

    public DealerSocket Shell { get; }
    public DealerSocket Control { get; }
    public DealerSocket Stdin { get; }
    public SubscriberSocket IoPub { get; }

    internal List<byte[]> Build(string msgType, JsonObject? content = null) =>
        WireCodec.Encode(_signer, [], WireCodec.NewHeader(msgType, _session), null, null, content ?? []);

    internal List<byte[]> BuildWithHeader(JsonObject header, JsonObject? content = null) =>
        WireCodec.Encode(_signer, [], header, null, null, content ?? []);

    internal static string MsgIdOf(List<byte[]> frames) =>
        (string)JsonNode.Parse(frames[2])!["msg_id"]!;

    public string Send(NetMQSocket socket, string msgType, JsonObject? content = null)
    {
        var frames = Build(msgType, content);
        socket.SendMultipartBytes(frames);
        return MsgIdOf(frames);
    }

    /// <summary>Receives the next message on a socket whose parent is <paramref name="parentMsgId"/>; null on timeout.</summary>
    internal JupyterMessage? Receive(NetMQSocket socket, string? parentMsgId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var frames = new List<byte[]>();
        while (DateTime.UtcNow < deadline)
        {
            if (!socket.TryReceiveMultipartBytes(deadline - DateTime.UtcNow, ref frames)) return null;
            var decoded = WireCodec.Decode(frames, _signer);
            Assert.True(decoded.Ok, $"kernel sent an undecodable message: {decoded.RejectReason}");
            var msg = decoded.Message!;
            if (parentMsgId is null || (string?)msg.ParentHeader["msg_id"] == parentMsgId) return msg;
        }
        return null;
    }

    /// <summary>Collects iopub messages for a parent until its status idle.</summary>
    internal List<JupyterMessage> IoPubUntilIdle(string parentMsgId, TimeSpan timeout)
    {
        var list = new List<JupyterMessage>();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var msg = Receive(IoPub, parentMsgId, deadline - DateTime.UtcNow)
                      ?? throw new TimeoutException($"no idle on iopub for {parentMsgId}; got {string.Join(",", list.Select(m => m.MsgType))}");
            list.Add(msg);
            if (msg.MsgType == "status" && (string?)msg.Content["execution_state"] == "idle") return list;
        }
    }

    /// <summary>Sends kernel_info until both the reply and an iopub message arrive (iopub slow-joiner).</summary>
    public void WaitForReady(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var id = Send(Shell, "kernel_info_request");
            var reply = Receive(Shell, id, TimeSpan.FromSeconds(2));
            if (reply is null) continue;
            if (Receive(IoPub, null, TimeSpan.FromMilliseconds(300)) is not null)
            {
                // Drain what is left of the readiness probes.
                while (Receive(IoPub, null, TimeSpan.FromMilliseconds(100)) is not null) { }
                return;
            }
        }
        throw new TimeoutException("kernel did not become ready");
    }

    public void Dispose()
    {
        foreach (var s in new NetMQSocket[] { Shell, Control, Stdin, IoPub }) s.Dispose();
    }
}
