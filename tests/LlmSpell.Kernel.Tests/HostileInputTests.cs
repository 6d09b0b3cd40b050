using System.Text.Json.Nodes;
using LlmSpell.Kernel.Protocol;
using LlmSpell.Kernel.Tests.Support;
using NetMQ;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests;

/// <summary>Validly signed but hostile messages: dropped and counted, and the kernel keeps answering.</summary>
public class HostileInputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AnUnparseableDateIsDroppedAndNeverEchoed()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var header = JsonNode.Parse(client.Build("kernel_info_request")[2])!.AsObject();
        header["date"] = "2026-13-45T00:00:00Z";
        var bad = client.BuildWithHeader(header);
        client.Shell.SendMultipartBytes(bad);

        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", RejectReasons.BadDate), Timeout, "bad_date rejection");
        Assert.Null(client.Receive(client.Shell, RawClient.MsgIdOf(bad), TimeSpan.FromMilliseconds(200)));
        Assert.Null(client.Receive(client.IoPub, RawClient.MsgIdOf(bad), TimeSpan.FromMilliseconds(200)));
        var id = client.Send(client.Shell, "kernel_info_request");
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task DuplicateJsonKeysAreDroppedAndCountedWithoutAnErrorReply(int frame)
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        var good = client.Build("kernel_info_request");
        var msgId = RawClient.MsgIdOf(good);
        var signed = good.Skip(2).ToList();
        signed[frame] = frame == 0
            ? System.Text.Encoding.UTF8.GetBytes(System.Text.Encoding.UTF8.GetString(signed[0]).TrimEnd('}') + ",\"msg_type\":\"kernel_info_request\"}")
            : """{"code":"1","code":"2"}"""u8.ToArray();
        var frames = new List<byte[]> { WireCodec.Delimiter, new MessageSigner(harness.Key).Sign(signed) };
        frames.AddRange(signed);
        client.Shell.SendMultipartBytes(frames);

        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", RejectReasons.BadJson), Timeout, "bad_json rejection");
        Assert.Null(client.Receive(client.Shell, msgId, TimeSpan.FromMilliseconds(300)));
        var id = client.Send(client.Shell, "kernel_info_request");
        Assert.NotNull(client.Receive(client.Shell, id, Timeout));
    }

    [Fact]
    public async Task AClientMsgTypeCannotForgeALogLine()
    {
        await using var harness = KernelHarness.Start(output);
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        client.Send(client.Shell, "x\n2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED ok\u001b[2K\0");
        await Wait.UntilAsync(() => harness.Observer.HasRejected("shell", RejectReasons.UnknownType), Timeout, "unknown_type");

        var unknown = Assert.Single(harness.Logs.Messages, m => m.Event.Id == 1021).Message;
        Assert.Equal(@"Unknown message type x\n2026-12-01T00:00:00.000+00:00 [INFO] Auth: FORGED ok\x1b[2K\0 on shell", unknown);
        Assert.DoesNotContain(harness.Logs.Messages, m => m.Message.IndexOfAny(['\n', '\r', '\0', '\u001b']) >= 0);
    }

    [Fact]
    public async Task AHistoryReplyNeverExceedsTheMessageSizeLimit()
    {
        const int limit = 150_000;
        await using var harness = KernelHarness.Start(output, o => o with { MaxMessageSizeBytes = limit });
        using var client = new RawClient(harness.Kernel.Connection);
        client.WaitForReady(Timeout);

        for (var i = 0; i < 4; i++)
        {
            var code = $"local s{i} = \"" + new string('a', 50_000) + "\"";
            var exec = client.Send(client.Shell, "execute_request", new JsonObject { ["code"] = code, ["silent"] = false });
            Assert.Equal("ok", (string?)client.Receive(client.Shell, exec, Timeout)?.Content["status"]);
        }

        var frames = client.Build("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 1000, ["output"] = false });
        client.Shell.SendMultipartBytes(frames);
        var raw = new List<byte[]>();
        Assert.True(client.Shell.TryReceiveMultipartBytes(Timeout, ref raw));
        Assert.True(raw.Sum(f => (long)f.Length) <= limit, $"reply of {raw.Sum(f => (long)f.Length)} bytes");
        var history = JsonNode.Parse(raw[^1])!["history"]!.AsArray();
        Assert.Equal([3, 4], history.Select(item => (int)item![1]!));
    }
}
