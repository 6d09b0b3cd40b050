using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;

namespace LlmSpell.Gateway.Wire;

/// <summary>
/// Jupyter's original websocket format: one JSON text message (the message dict plus "channel", with top-level msg_id
/// and msg_type), or, when a message has buffers, one binary message: a big-endian uint32 count n, n uint32 offsets
/// from the start, then the JSON (without "buffers") and the buffers.
/// </summary>
internal static class LegacyProtocol
{
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64, AllowDuplicateProperties = false };
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public static KernelMessageParts DecodeText(ReadOnlyMemory<byte> utf8) => DecodeJson(utf8, []);

    public static KernelMessageParts DecodeBinary(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        if (span.Length < 8) throw new GatewayProtocolException("binary message shorter than its offset table");
        var count = BinaryPrimitives.ReadUInt32BigEndian(span);
        if (count < 1 || count > 1024 || span.Length < 4 * (count + 1))
            throw new GatewayProtocolException($"binary message declares {count} parts, which its length cannot hold");
        var offsets = new int[count + 1];
        for (var i = 0; i < count; i++)
        {
            var offset = BinaryPrimitives.ReadUInt32BigEndian(span[(4 * (i + 1))..]);
            if (offset > span.Length || (i > 0 && offset < offsets[i - 1]) || (i == 0 && offset < 4 * (count + 1)))
                throw new GatewayProtocolException($"binary message offset {i} ({offset}) is out of order or past the end");
            offsets[i] = (int)offset;
        }
        offsets[count] = span.Length;
        var buffers = new byte[count - 1][];
        for (var i = 1; i < count; i++) buffers[i - 1] = span[offsets[i]..offsets[i + 1]].ToArray();
        return DecodeJson(message[offsets[0]..offsets[1]], buffers);
    }

    private static KernelMessageParts DecodeJson(ReadOnlyMemory<byte> utf8, byte[][] buffers)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, Strict);
        }
        catch (JsonException e)
        {
            throw new GatewayProtocolException($"message is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new GatewayProtocolException("message must be a JSON object");
            var channel = "shell"; // as Jupyter Server: a message without a channel goes to shell
            if (root.TryGetProperty("channel", out var c))
            {
                if (c.ValueKind != JsonValueKind.String || !KernelMessageParts.ClientChannels.Contains(c.GetString()!))
                    throw new GatewayProtocolException("channel must be \"shell\", \"control\" or \"stdin\"");
                channel = c.GetString()!;
            }
            if (!root.TryGetProperty("header", out var header) || header.ValueKind != JsonValueKind.Object)
                throw new GatewayProtocolException("message needs a header object");
            var headerBytes = Raw(header);
            HeaderFields.RequireClientHeader(headerBytes);
            return new KernelMessageParts(channel, headerBytes, Part(root, "parent_header"), Part(root, "metadata"), Part(root, "content"), buffers);
        }
    }

    private static byte[] Part(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var part) || part.ValueKind == JsonValueKind.Null) return EmptyObject;
        if (part.ValueKind != JsonValueKind.Object) throw new GatewayProtocolException($"{name} must be a JSON object");
        return Raw(part);
    }

    /// <summary>The element's bytes exactly as the client sent them (the kernel's replay guard digests the header as sent).</summary>
    private static byte[] Raw(JsonElement element) => System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element).ToArray();

    /// <summary>The websocket message for a kernel message: text when it has no buffers, else the binary form.</summary>
    public static (byte[] Payload, bool Text) Encode(KernelMessageParts m)
    {
        var (msgId, msgType) = HeaderFields.Read(m.Header);
        var json = new ArrayBufferWriter<byte>(256 + m.Header.Length + m.ParentHeader.Length + m.Metadata.Length + m.Content.Length);
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            w.WritePropertyName("header"u8); w.WriteRawValue(m.Header, skipInputValidation: true);
            w.WriteString("msg_id"u8, msgId);
            w.WriteString("msg_type"u8, msgType);
            w.WritePropertyName("parent_header"u8); w.WriteRawValue(OrEmpty(m.ParentHeader), skipInputValidation: true);
            w.WritePropertyName("metadata"u8); w.WriteRawValue(OrEmpty(m.Metadata), skipInputValidation: true);
            w.WritePropertyName("content"u8); w.WriteRawValue(OrEmpty(m.Content), skipInputValidation: true);
            if (m.Buffers.Count == 0)
            {
                w.WritePropertyName("buffers"u8);
                w.WriteStartArray();
                w.WriteEndArray();
            }
            w.WriteString("channel"u8, m.Channel);
            w.WriteEndObject();
        }
        if (m.Buffers.Count == 0) return (json.WrittenSpan.ToArray(), true);

        var parts = new List<ReadOnlyMemory<byte>>(m.Buffers.Count + 1) { json.WrittenMemory };
        foreach (var b in m.Buffers) parts.Add(b);
        var headerLength = 4 * (parts.Count + 1);
        var total = headerLength + parts.Sum(p => p.Length);
        var payload = new byte[total];
        BinaryPrimitives.WriteUInt32BigEndian(payload, (uint)parts.Count);
        var offset = headerLength;
        for (var i = 0; i < parts.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(4 * (i + 1)), (uint)offset);
            parts[i].Span.CopyTo(payload.AsSpan(offset));
            offset += parts[i].Length;
        }
        return (payload, false);
    }

    private static byte[] OrEmpty(byte[] part) => part.Length == 0 ? EmptyObject : part;
}
