using System.Text.Json.Nodes;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Tests.Support;
using NetMQ;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests;

/// <summary>Wire-level behaviour over real sockets, with a C# client; needs no Lua execution.</summary>
public class ProtocolTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task KernelInfoOnShellAndControlWithBusyIdle()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var id = client.Send(client.Shell, "kernel_info_request");
        var reply = client.Receive(client.Shell, id, Timeout);
        Assert.NotNull(reply);
        Assert.Equal("kernel_info_reply", reply.MsgType);
        Assert.Equal("ok", (string?)reply.Content["status"]);
        Assert.Equal("5.3", (string?)reply.Content["protocol_version"]);
        Assert.Equal("llmspell", (string?)reply.Content["implementation"]);
        Assert.Equal("lua", (string?)reply.Content["language_info"]!["name"]);
        Assert.Equal("text/x-lua", (string?)reply.Content["language_info"]!["mimetype"]);
        Assert.Equal(".lua", (string?)reply.Content["language_info"]!["file_extension"]);
        Assert.Equal("https://www.lua.org/manual/5.4/", (string?)reply.Content["help_links"]![0]!["url"]);
        Assert.Equal(harness.Kernel.SessionId, reply.Session);
        Assert.Equal("kernel_info_request", (string?)reply.ParentHeader["msg_type"]);
        var iopub = client.IoPubUntilIdle(id, Timeout);
        Assert.Equal(["busy", "idle"], iopub.Where(m => m.MsgType == "status").Select(m => (string?)m.Content["execution_state"]));

        var cid = client.Send(client.Control, "kernel_info_request");
        var creply = client.Receive(client.Control, cid, Timeout);
        Assert.NotNull(creply);
        Assert.Equal("kernel_info_reply", creply.MsgType);
        client.IoPubUntilIdle(cid, Timeout);

        Assert.Contains(("shell", "kernel_info_request"), harness.Observer.Received);
        Assert.Contains(("control", "kernel_info_request"), harness.Observer.Received);
        Assert.True(harness.Observer.Activity >= 2);
        Assert.Equal(1, harness.Kernel.ConnectedClients);
        Assert.True(harness.Kernel.LastActivity > harness.Kernel.StartedAt);
    }

    [Fact]
    public async Task MalformedAndBadlySignedMessagesAreDroppedAndOthersStillServed()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        using var attacker = new RawClient(harness.Kernel.Connection, key: "wrong-key");
        client.WaitForReady(Timeout);

        attacker.Send(attacker.Shell, "kernel_info_request");
        attacker.Send(attacker.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        attacker.Shell.SendFrame("garbage");
        attacker.Shell.SendMultipartBytes("<IDS|MSG>"u8.ToArray(), "sig"u8.ToArray(), "{}"u8.ToArray());
        var badJson = new List<byte[]> { "{oops"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray() };
        var frames = new List<byte[]> { "<IDS|MSG>"u8.ToArray(), new Protocol.MessageSigner(harness.Key).Sign(badJson) };
        frames.AddRange(badJson);
        attacker.Shell.SendMultipartBytes(frames);

        await Wait.UntilAsync(() => harness.Observer.Rejected.Count >= 5, Timeout, "5 rejections");
        Assert.True(harness.Observer.HasRejected("shell", "bad_signature"));
        Assert.True(harness.Observer.HasRejected("control", "bad_signature"));
        Assert.True(harness.Observer.HasRejected("shell", "no_delimiter"));
        Assert.True(harness.Observer.HasRejected("shell", "too_few_frames"));
        Assert.True(harness.Observer.HasRejected("shell", "bad_json"));
        Assert.Null(attacker.Receive(attacker.Shell, null, TimeSpan.FromMilliseconds(200)));
        Assert.False(harness.Kernel.Stopped.IsCompleted);

        var id = client.Send(client.Shell, "kernel_info_request");
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
    }

    [Fact]
    public async Task ReplayedMessageIsDropped()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var frames = client.Build("kernel_info_request");
        var id = RawClient.MsgIdOf(frames);
        client.Shell.SendMultipartBytes(frames);
        client.Shell.SendMultipartBytes(frames);
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", "replay"), Timeout, "replay rejection");
        Assert.Null(client.Receive(client.Shell, id, TimeSpan.FromMilliseconds(200)));
    }

    [Fact]
    public async Task DistinctMessagesSharingAMsgIdAreBothServed()
    {
        // jupyter_client's manager and client keep separate counters under one session id, so msg_ids repeat.
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var first = client.Build("kernel_info_request");
        var id = RawClient.MsgIdOf(first);
        var header = JsonNode.Parse(first[2])!.AsObject();
        header["msg_type"] = "comm_info_request";
        var second = client.BuildWithHeader(header);
        client.Shell.SendMultipartBytes(first);
        client.Shell.SendMultipartBytes(second);

        var replies = new[] { client.Receive(client.Shell, id, Timeout), client.Receive(client.Shell, id, Timeout) };
        Assert.Equal(["comm_info_reply", "kernel_info_reply"], replies.Select(r => r!.MsgType).Order());
        Assert.False(harness.Observer.HasRejected("shell", "replay"));
    }

    [Fact]
    public async Task MessageDatedOutsideTheReplayWindowIsDropped()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var header = JsonNode.Parse(client.Build("kernel_info_request")[2])!.AsObject();
        header["date"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O");
        var old = client.BuildWithHeader(header);
        client.Shell.SendMultipartBytes(old);

        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", "stale_date"), Timeout, "stale_date rejection");
        Assert.Null(client.Receive(client.Shell, RawClient.MsgIdOf(old), TimeSpan.FromMilliseconds(200)));
        var id = client.Send(client.Shell, "kernel_info_request");
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
    }

    [Fact]
    public async Task ExitAsksTheFrontEndToLeave()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var id = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = "exit" });
        var reply = client.Receive(client.Shell, id, Timeout);

        Assert.Equal("ok", (string?)reply!.Content["status"]);
        var payload = Assert.Single(reply.Content["payload"]!.AsArray());
        Assert.Equal("ask_exit", (string?)payload!["source"]);
        Assert.False(harness.Kernel.Stopped.IsCompleted, "the kernel itself keeps running; the front end decides");
    }

    [Fact]
    public async Task HostStopBroadcastsShutdownOnIopub()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        await harness.Kernel.StopAsync(TimeSpan.FromSeconds(5));

        var deadline = DateTime.UtcNow + Timeout;
        JupyterMessage? shutdown = null;
        while (shutdown is null && DateTime.UtcNow < deadline)
        {
            var msg = client.Receive(client.IoPub, null, deadline - DateTime.UtcNow);
            if (msg is null) break;
            if (msg.MsgType == "shutdown_reply") shutdown = msg;
        }
        Assert.NotNull(shutdown);
        Assert.Equal(false, (bool?)shutdown!.Content["restart"]);
    }

    [Fact]
    public async Task OversizedMessageIsDropped()
    {
        await using var harness = KernelHarness.Start(output, o => o with { MaxMessageSizeBytes = 4096 });
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var big = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = new string('x', 5000) });
        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", "too_large"), Timeout, "too_large rejection");
        Assert.Null(client.Receive(client.Shell, big, TimeSpan.FromMilliseconds(200)));
        var id = client.Send(client.Shell, "kernel_info_request");
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
    }

    [Fact]
    public async Task UnknownRequestGetsAnErrorReply()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var id = client.Send(client.Shell, "frobnicate_request");
        var reply = client.Receive(client.Shell, id, Timeout);
        Assert.NotNull(reply);
        Assert.Equal("frobnicate_reply", reply.MsgType);
        Assert.Equal("error", (string?)reply.Content["status"]);
        Assert.Equal("UnknownMessageType", (string?)reply.Content["ename"]);
        Assert.True(harness.Observer.HasRejected("shell", "unknown_type"));

        var cid = client.Send(client.Control, "frobnicate_request");
        Assert.Equal("error", (string?)client.Receive(client.Control, cid, Timeout)?.Content["status"]);

        // Not a request: no reply, only counted.
        client.Send(client.Shell, "frobnicate");
        await Wait.UntilAsync(() => harness.Observer.Rejected.Count(r => r.Reason == "unknown_type") >= 3, Timeout, "3 unknown types");
    }

    [Fact]
    public async Task CommsAreClosedAndCommInfoIsEmpty()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var info = client.Send(client.Shell, "comm_info_request", new JsonObject());
        var reply = client.Receive(client.Shell, info, Timeout);
        Assert.Equal("ok", (string?)reply?.Content["status"]);
        Assert.Empty(reply!.Content["comms"]!.AsObject());

        var open = client.Send(client.Shell, "comm_open", new JsonObject { ["comm_id"] = "c1", ["target_name"] = "nope", ["data"] = new JsonObject() });
        var iopub = client.IoPubUntilIdle(open, Timeout);
        var close = Assert.Single(iopub, m => m.MsgType == "comm_close");
        Assert.Equal("c1", (string?)close.Content["comm_id"]);
    }

    [Fact]
    public async Task ShutdownWithoutRestartStopsTheKernel()
    {
        var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var id = client.Send(client.Control, "shutdown_request", new JsonObject { ["restart"] = false });
        var reply = client.Receive(client.Control, id, Timeout);
        Assert.NotNull(reply);
        Assert.Equal("shutdown_reply", reply.MsgType);
        Assert.False((bool?)reply.Content["restart"]);
        var iopub = client.IoPubUntilIdle(id, Timeout);
        Assert.Contains(iopub, m => m.MsgType == "shutdown_reply");

        await harness.Kernel.Stopped.WaitAsync(Timeout);
        Assert.Equal(KernelState.Dead, harness.Kernel.State);
        Assert.False(File.Exists(harness.ConnectionFile));
        await harness.DisposeAsync();
    }
}
