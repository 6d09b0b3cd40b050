using System.Security.Cryptography;

namespace LlmSpell.Kernel.Protocol;

/// <summary>HMAC-SHA256 signer/verifier for Jupyter wire messages. Thread-safe.</summary>
public sealed class MessageSigner
{
    private readonly byte[] _key;

    public MessageSigner(string key) => _key = System.Text.Encoding.UTF8.GetBytes(key ?? "");

    /// <summary>False when the key is empty: messages are neither signed nor verified.</summary>
    public bool Enabled => _key.Length > 0;

    /// <summary>Lower-case hex HMAC over the given frames, as ASCII bytes; empty when signing is disabled.</summary>
    public byte[] Sign(IEnumerable<byte[]> frames)
    {
        if (!Enabled) return [];
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        foreach (var frame in frames) hmac.AppendData(frame);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        return System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(mac));
    }

    /// <summary>Verifies a received signature frame against the frames it covers, in constant time.</summary>
    public bool Verify(ReadOnlySpan<byte> signature, IEnumerable<byte[]> frames)
    {
        if (!Enabled) return true;
        if (signature.Length != 64) return false;
        var expected = Sign(frames);
        // Accept upper-case hex too: normalise the received bytes without branching on secrets.
        Span<byte> received = stackalloc byte[64];
        for (var i = 0; i < 64; i++)
        {
            var b = signature[i];
            received[i] = b is >= (byte)'A' and <= (byte)'F' ? (byte)(b + 32) : b;
        }
        return CryptographicOperations.FixedTimeEquals(received, expected);
    }
}
