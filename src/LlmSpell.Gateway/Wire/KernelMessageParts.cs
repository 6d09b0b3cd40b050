namespace LlmSpell.Gateway.Wire;

/// <summary>
/// One Jupyter message as the gateway moves it: its channel and its serialized parts (header, parent_header, metadata,
/// content: JSON bytes as they were received or sent, never re-encoded on the way through), plus binary buffers.
/// </summary>
internal sealed record KernelMessageParts(string Channel, byte[] Header, byte[] ParentHeader, byte[] Metadata, byte[] Content,
    IReadOnlyList<byte[]> Buffers)
{
    public static readonly IReadOnlySet<string> ClientChannels = new HashSet<string>(StringComparer.Ordinal) { "shell", "control", "stdin" };
}

/// <summary>A websocket message the gateway cannot turn into a Jupyter message; the text says what is wrong.</summary>
internal sealed class GatewayProtocolException(string message) : Exception(message);
