using System.Text;
using System.Text.Json.Nodes;
using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Tests;

public class WireCodecTests
{
    private static readonly MessageSigner Signer = new("secret-key");

    private static List<byte[]> Sample(MessageSigner signer, string msgType = "kernel_info_request", params byte[][] identities)
    {
        var header = WireCodec.NewHeader(msgType, "client-session");
        return WireCodec.Encode(signer, identities, header, null, new JsonObject { ["m"] = 1 }, new JsonObject { ["code"] = "1+2" });
    }

    [Fact]
    public void RoundTripKeepsIdentitiesHeaderAndContent()
    {
        var frames = Sample(Signer, "execute_request", [1, 2, 3], "peer"u8.ToArray());
        frames.Add([9, 9]); // a buffer; re-sign to include it
        var signed = frames.Skip(4).ToList();
        frames[3] = Signer.Sign(signed);

        var result = WireCodec.Decode(frames, Signer);

        Assert.True(result.Ok, result.RejectReason);
        var msg = result.Message!;
        Assert.Equal(2, msg.Identities.Count);
        Assert.Equal([1, 2, 3], msg.Identities[0]);
        Assert.Equal("execute_request", msg.MsgType);
        Assert.Equal("client-session", msg.Session);
        Assert.Equal("1+2", (string?)msg.Content["code"]);
        Assert.Equal(1, (int?)msg.Metadata["m"]);
        Assert.Empty(msg.ParentHeader);
        Assert.Single(msg.Buffers);
        Assert.Equal("5.3", (string?)msg.Header["version"]);
        Assert.Equal("kernel", (string?)msg.Header["username"]);
        Assert.EndsWith("+00:00", (string?)msg.Header["date"]);
    }

    [Fact]
    public void EncodedSignatureIsLowerHexHmacOverTheFourFrames()
    {
        var frames = Sample(Signer);
        var sig = Encoding.ASCII.GetString(frames[1]);
        Assert.Matches("^[0-9a-f]{64}$", sig);
        using var hmac = new System.Security.Cryptography.HMACSHA256("secret-key"u8.ToArray());
        var expected = Convert.ToHexStringLower(hmac.ComputeHash(frames.Skip(2).SelectMany(f => f).ToArray()));
        Assert.Equal(expected, sig);
    }

    [Fact]
    public void BadSignatureIsRejected()
    {
        var frames = Sample(Signer);
        frames[1] = Encoding.ASCII.GetBytes(new string('0', 64));
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void SignatureFromAnotherKeyIsRejected()
    {
        var frames = Sample(new MessageSigner("other-key"));
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void TamperedContentIsRejected()
    {
        var frames = Sample(Signer);
        frames[^1] = "{\"code\":\"os.exit()\"}"u8.ToArray();
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void MissingSignatureIsRejected()
    {
        var frames = Sample(Signer);
        frames[1] = [];
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void WrongLengthSignatureIsRejected()
    {
        var frames = Sample(Signer);
        frames[1] = frames[1][..63];
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(frames, Signer).RejectReason);
        var longer = Sample(Signer);
        longer[1] = [.. longer[1], (byte)'0'];
        Assert.Equal(RejectReasons.BadSignature, WireCodec.Decode(longer, Signer).RejectReason);
    }

    [Fact]
    public void UpperCaseHexSignatureIsAccepted()
    {
        var frames = Sample(Signer);
        frames[1] = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(frames[1]).ToUpperInvariant());
        Assert.True(WireCodec.Decode(frames, Signer).Ok);
    }

    [Fact]
    public void UnsignedMessagesAreAcceptedWhenKeyIsEmpty()
    {
        var none = new MessageSigner("");
        var frames = Sample(none);
        Assert.Empty(frames[1]);
        Assert.True(WireCodec.Decode(frames, none).Ok);
    }

    [Fact]
    public void MissingDelimiterIsRejected()
    {
        var frames = Sample(Signer);
        frames.RemoveAt(0);
        Assert.Equal(RejectReasons.NoDelimiter, WireCodec.Decode(frames, Signer).RejectReason);
        Assert.Equal(RejectReasons.NoDelimiter, WireCodec.Decode([], Signer).RejectReason);
    }

    [Fact]
    public void TooFewFramesAfterDelimiterIsRejected()
    {
        var frames = Sample(Signer);
        frames.RemoveAt(frames.Count - 1);
        Assert.Equal(RejectReasons.TooFewFrames, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2,3]")]
    [InlineData("\"a string\"")]
    public void InvalidJsonIsRejected(string header)
    {
        var signed = new List<byte[]> { Encoding.UTF8.GetBytes(header), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray() };
        var frames = new List<byte[]> { WireCodec.Delimiter, Signer.Sign(signed) };
        frames.AddRange(signed);
        Assert.Equal(RejectReasons.BadJson, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Theory]
    [InlineData(0, """{"msg_id":"a","msg_type":"kernel_info_request","msg_type":"execute_request"}""")]
    [InlineData(1, """{"msg_id":"p","msg_id":"q"}""")]
    [InlineData(2, """{"m":1,"m":2}""")]
    [InlineData(3, """{"code":"1","code":"2"}""")]
    [InlineData(3, """{"user_expressions":{"a":"1","a":"2"}}""")]
    public void DuplicateKeysAreRejectedAsBadJson(int frame, string json)
    {
        var signed = new List<byte[]>
        {
            """{"msg_id":"a","msg_type":"kernel_info_request"}"""u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(),
        };
        signed[frame] = Encoding.UTF8.GetBytes(json);
        var frames = new List<byte[]> { WireCodec.Delimiter, Signer.Sign(signed) };
        frames.AddRange(signed);
        Assert.Equal(RejectReasons.BadJson, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void InvalidUtf8AndDeepNestingAreRejected()
    {
        foreach (var header in new[] { new byte[] { (byte)'{', (byte)'"', 0xff, 0xfe, (byte)'"', (byte)':', (byte)'1', (byte)'}' },
                                       Encoding.ASCII.GetBytes("{\"a\":" + new string('[', 200) + new string(']', 200) + "}") })
        {
            var signed = new List<byte[]> { header, "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray() };
            var frames = new List<byte[]> { WireCodec.Delimiter, Signer.Sign(signed) };
            frames.AddRange(signed);
            Assert.Equal(RejectReasons.BadJson, WireCodec.Decode(frames, Signer).RejectReason);
        }
    }

    [Fact]
    public void HeaderWithoutMsgIdOrTypeIsRejected()
    {
        var signed = new List<byte[]> { "{\"msg_type\":\"execute_request\"}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray() };
        var frames = new List<byte[]> { WireCodec.Delimiter, Signer.Sign(signed) };
        frames.AddRange(signed);
        Assert.Equal(RejectReasons.MissingHeaderFields, WireCodec.Decode(frames, Signer).RejectReason);
    }

    [Fact]
    public void OversizedMessageIsRejected()
    {
        var frames = Sample(Signer);
        var size = frames.Sum(f => f.Length);
        Assert.Equal(RejectReasons.TooLarge, WireCodec.Decode(frames, Signer, size - 1).RejectReason);
        Assert.True(WireCodec.Decode(frames, Signer, size).Ok);
    }

    [Fact]
    public void ReplyTypeNames()
    {
        Assert.Equal("execute_reply", Messenger.ReplyType("execute_request"));
        Assert.Equal("foo_reply", Messenger.ReplyType("foo"));
    }
}

public class ReplayGuardTests
{
    [Fact]
    public void RepeatedIdIsRejected()
    {
        var guard = new ReplayGuard(TimeSpan.FromMinutes(10));
        Assert.True(guard.TryAccept("a"));
        Assert.True(guard.TryAccept("b"));
        Assert.False(guard.TryAccept("a"));
    }

    [Fact]
    public void IdsExpireAfterTheWindow()
    {
        var time = new ManualTime();
        var guard = new ReplayGuard(TimeSpan.FromMinutes(10), time: time);
        Assert.True(guard.TryAccept("a"));
        time.Advance(TimeSpan.FromMinutes(11));
        Assert.True(guard.TryAccept("b"));
        Assert.Equal(1, guard.Count);
        Assert.True(guard.TryAccept("a"));
    }

    [Fact]
    public void CapacityBoundsMemory()
    {
        var guard = new ReplayGuard(TimeSpan.FromMinutes(10), capacity: 100);
        for (var i = 0; i < 1000; i++) Assert.True(guard.TryAccept(i.ToString()));
        Assert.True(guard.Count <= 100);
        Assert.False(guard.TryAccept("999"));
    }

    private sealed class ManualTime : TimeProvider
    {
        private long _ticks = 1_000_000;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
