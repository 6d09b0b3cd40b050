using System.Text.Json.Nodes;
using LlmSpell.Kernel.Inbound;
using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Tests.Unit;

public class InboundVerifierTests
{
    private static readonly MessageSigner Signer = new("verifier-key");
    private readonly ManualClock _clock = new(DateTimeOffset.Parse("2026-03-01T12:00:00Z"));

    private InboundVerifier Verifier(long maxSize = 0) => new(Signer, maxSize, _clock);

    private List<byte[]> Message(TimeSpan? age = null, MessageSigner? signer = null, string code = "1+1")
    {
        var header = WireCodec.NewHeader("execute_request", "client");
        if (age is { } a) header["date"] = (_clock.GetUtcNow() - a).ToString("o");
        else header.Remove("date");
        return WireCodec.Encode(signer ?? Signer, ["peer"u8.ToArray()], header, null, null, new JsonObject { ["code"] = code });
    }

    [Fact]
    public void FreshSignedMessageIsAccepted()
    {
        var result = Verifier().Verify(Message(TimeSpan.FromSeconds(1)));
        Assert.True(result.Ok, result.RejectReason);
        Assert.Equal("execute_request", result.Message!.MsgType);
    }

    [Fact]
    public void TheSameMessageTwiceIsAReplay()
    {
        var verifier = Verifier();
        var frames = Message(TimeSpan.Zero);
        Assert.True(verifier.Verify(frames).Ok);
        Assert.Equal(RejectReasons.Replay, verifier.Verify(frames).RejectReason);
        Assert.True(verifier.Verify(Message(TimeSpan.Zero, code: "2+2")).Ok);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(-11)]
    public void DatesOutsideTheReplayWindowAreStale(int minutesAgo)
    {
        var result = Verifier().Verify(Message(TimeSpan.FromMinutes(minutesAgo)));
        Assert.Equal(RejectReasons.StaleDate, result.RejectReason);
    }

    [Fact]
    public void DatesInsideTheReplayWindowAreAccepted()
    {
        Assert.True(Verifier().Verify(Message(TimeSpan.FromMinutes(9))).Ok);
        Assert.True(Verifier().Verify(Message(TimeSpan.FromMinutes(-9))).Ok);
    }

    [Fact]
    public void AnUndatedMessageIsAReplayOnlyWithinTheWindow()
    {
        var verifier = Verifier();
        var frames = Message(age: null);
        Assert.True(verifier.Verify(frames).Ok);
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(RejectReasons.Replay, verifier.Verify(frames).RejectReason);
        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.True(verifier.Verify(frames).Ok);
    }

    [Theory]
    [InlineData("2026-13-45T00:00:00Z")]
    [InlineData("not a date")]
    public void AnUnparseableDateIsRejected(string date)
    {
        var header = WireCodec.NewHeader("execute_request", "client");
        header["date"] = date;
        var frames = WireCodec.Encode(Signer, ["peer"u8.ToArray()], header, null, null, new JsonObject { ["code"] = "1" });
        Assert.Equal(RejectReasons.BadDate, Verifier().Verify(frames).RejectReason);
    }

    [Fact]
    public void ANonStringDateIsRejectedButNullOrEmptyCountsAsMissing()
    {
        var header = WireCodec.NewHeader("execute_request", "client");
        header["date"] = 12345;
        var frames = WireCodec.Encode(Signer, ["peer"u8.ToArray()], header, null, null, []);
        Assert.Equal(RejectReasons.BadDate, Verifier().Verify(frames).RejectReason);

        foreach (var missing in new JsonNode?[] { null, "" })
        {
            header = WireCodec.NewHeader("execute_request", "client");
            header["date"] = missing;
            frames = WireCodec.Encode(Signer, ["peer"u8.ToArray()], header, null, null, []);
            Assert.True(Verifier().Verify(frames).Ok);
        }
    }

    [Fact]
    public void AnotherKeysSignatureIsRejected()
    {
        var result = Verifier().Verify(Message(TimeSpan.Zero, signer: new MessageSigner("other-key")));
        Assert.Equal(RejectReasons.BadSignature, result.RejectReason);
    }

    [Fact]
    public void MessagesOverTheSizeLimitAreRejectedBeforeAnythingElse()
    {
        var frames = Message(TimeSpan.FromMinutes(30), signer: new MessageSigner("other-key"));
        var size = frames.Sum(f => (long)f.Length);
        Assert.Equal(RejectReasons.TooLarge, Verifier(size - 1).Verify(frames).RejectReason);

        var fresh = Message(TimeSpan.Zero);
        Assert.True(Verifier(fresh.Sum(f => (long)f.Length)).Verify(fresh).Ok);
    }

    [Fact]
    public void AForgedCopyDoesNotBlockTheGenuineMessage()
    {
        var verifier = Verifier();
        var genuine = Message(TimeSpan.Zero);
        var forged = genuine.Select(f => f.ToArray()).ToList();
        forged[2] = System.Text.Encoding.ASCII.GetBytes(new string('0', 64));
        Assert.Equal(RejectReasons.BadSignature, verifier.Verify(forged).RejectReason);
        Assert.True(verifier.Verify(genuine).Ok);
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public override DateTimeOffset GetUtcNow() => _now;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
        public override long GetTimestamp() => _now.UtcTicks;
        public void Advance(TimeSpan by) => _now += by;
    }
}
