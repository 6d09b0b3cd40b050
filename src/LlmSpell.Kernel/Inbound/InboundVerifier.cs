using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Inbound;

/// <summary>
/// Decides whether an incoming multipart message is accepted: size limit, framing, signature and JSON
/// (via <see cref="WireCodec"/>), then a parseable date (when present) inside the replay window and a header never seen before.
/// </summary>
internal sealed class InboundVerifier
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(10);

    private readonly MessageSigner _signer;
    private readonly long _maxSizeBytes;
    private readonly TimeProvider _time;
    private readonly ReplayGuard _replay;

    public InboundVerifier(MessageSigner signer, long maxSizeBytes, TimeProvider? time = null)
    {
        _signer = signer;
        _maxSizeBytes = maxSizeBytes;
        _time = time ?? TimeProvider.System;
        _replay = new ReplayGuard(ReplayWindow, time: _time);
    }

    public DecodeResult Verify(IReadOnlyList<byte[]> frames)
    {
        var result = WireCodec.Decode(frames, _signer, _maxSizeBytes);
        if (!result.Ok) return result;
        var msg = result.Message!;
        if (!msg.TryGetDate(out var date)) return DecodeResult.Reject(RejectReasons.BadDate);
        // Dates outside the replay window could be replays the guard has already forgotten.
        if (date is { } d && (_time.GetUtcNow() - d).Duration() > ReplayWindow)
            return DecodeResult.Reject(RejectReasons.StaleDate);
        if (!_replay.TryAccept(msg.ReplayKey))
            return DecodeResult.Reject(RejectReasons.Replay);
        return result;
    }
}
