using System.Buffers.Binary;
using System.Text;

namespace LlmSpell.Gateway.Wire;

/// <summary>
/// The <c>v1.kernel.websocket.jupyter.org</c> subprotocol: a little-endian uint64 count n, n uint64 offsets, then the
/// channel name and the message parts (header, parent_header, metadata, content, buffers...), each part running to the
/// next offset and the last to the end. Parts pass through as bytes: nothing is parsed but the header's check.
/// </summary>
internal static class V1Protocol
{
    public const string Name = "v1.kernel.websocket.jupyter.org";

    public static KernelMessageParts Decode(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < 8) throw new GatewayProtocolException("v1 message shorter than its offset count");
        var count = BinaryPrimitives.ReadUInt64LittleEndian(span);
        // channel + header, parent_header, metadata, content = at least 6 offsets (the last is the end of the message).
        if (count < 6 || count > 1024 || (ulong)span.Length < 8 * (count + 1))
            throw new GatewayProtocolException($"v1 message declares {count} offsets; it needs at least 6 (channel, header, parent_header, metadata, content, end) and room for them");
        var offsets = new int[count];
        for (var i = 0; i < (int)count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt64LittleEndian(span[(8 * (i + 1))..]);
            if (offset > (ulong)span.Length || (i > 0 && (int)offset < offsets[i - 1]) || (i == 0 && offset < 8 * (count + 1)))
                throw new GatewayProtocolException($"v1 message offset {i} ({offset}) is out of order or past the end");
            offsets[i] = (int)offset;
        }
        string channel;
        try
        {
            channel = new UTF8Encoding(false, true).GetString(span[offsets[0]..offsets[1]]);
        }
        catch (DecoderFallbackException)
        {
            throw new GatewayProtocolException("v1 channel name is not UTF-8");
        }
        if (!KernelMessageParts.ClientChannels.Contains(channel))
            throw new GatewayProtocolException("channel must be \"shell\", \"control\" or \"stdin\"");
        byte[] Part(int i) => message.Span[offsets[i]..offsets[i + 1]].ToArray();
        var header = Part(1);
        HeaderFields.RequireClientHeader(header);
        var parent = Part(2);
        var metadata = Part(3);
        var content = Part(4);
        HeaderFields.RequireObject(parent, "parent_header", optional: true);
        HeaderFields.RequireObject(metadata, "metadata", optional: true);
        HeaderFields.RequireObject(content, "content", optional: true);
        var buffers = new byte[offsets.Length - 6][];
        for (var i = 0; i < buffers.Length; i++) buffers[i] = Part(5 + i);
        return new KernelMessageParts(channel, header, parent, metadata, content, buffers);
    }

    public static byte[] Encode(KernelMessageParts m)
    {
        var channel = Encoding.UTF8.GetBytes(m.Channel);
        var parts = new List<byte[]>(5 + m.Buffers.Count) { channel, m.Header, m.ParentHeader, m.Metadata, m.Content };
        parts.AddRange(m.Buffers);
        var count = parts.Count + 1;
        var headerLength = 8 * (count + 1);
        var payload = new byte[headerLength + parts.Sum(p => p.Length)];
        BinaryPrimitives.WriteUInt64LittleEndian(payload, (ulong)count);
        var offset = headerLength;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8 * (i + 1)), (ulong)offset);
            parts[i].CopyTo(payload.AsSpan(offset));
            offset += parts[i].Length;
        }
        BinaryPrimitives.WriteUInt64LittleEndian(payload.AsSpan(8 * count), (ulong)offset);
        return payload;
    }
}
