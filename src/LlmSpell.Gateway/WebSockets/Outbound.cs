using System.Net.WebSockets;
using LlmSpell.Gateway.Wire;

namespace LlmSpell.Gateway.WebSockets;

/// <summary>What the writer loop sends next: a kernel message, or the close frame that ends the connection.</summary>
internal readonly record struct Outbound(KernelMessageParts? Message, WebSocketCloseStatus CloseStatus = default, string? CloseReason = null)
{
    public long Size => Message is null ? 0 : Message.Header.Length + Message.ParentHeader.Length + Message.Metadata.Length
        + Message.Content.Length + Message.Buffers.Sum(b => (long)b.Length);
}
