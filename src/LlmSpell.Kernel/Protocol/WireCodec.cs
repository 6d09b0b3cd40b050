using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.Kernel.Protocol;

/// <summary>Result of decoding one multipart message: either a message or a reject reason.</summary>
internal readonly record struct DecodeResult(JupyterMessage? Message, string? RejectReason)
{
    public bool Ok => Message is not null;
    public static DecodeResult Reject(string reason) => new(null, reason);
}

/// <summary>Jupyter wire format: identities, &lt;IDS|MSG&gt;, signature, header, parent_header, metadata, content, buffers.</summary>
internal static class WireCodec
{
    public const string ProtocolVersion = "5.3";
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    // Duplicate keys are malformed: JsonObject would otherwise throw ArgumentException on first access, far from here.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    public static DecodeResult Decode(IReadOnlyList<byte[]> frames, MessageSigner signer, long maxSizeBytes = 0)
    {
        long size = 0;
        foreach (var f in frames) size += f.Length;
        if (maxSizeBytes > 0 && size > maxSizeBytes) return DecodeResult.Reject(RejectReasons.TooLarge);

        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { delimiter = i; break; }
        }
        if (delimiter < 0) return DecodeResult.Reject(RejectReasons.NoDelimiter);
        if (frames.Count - delimiter - 1 < 5) return DecodeResult.Reject(RejectReasons.TooFewFrames);

        var signature = frames[delimiter + 1];
        var signed = new byte[frames.Count - delimiter - 2][];
        for (var i = 0; i < signed.Length; i++) signed[i] = frames[delimiter + 2 + i];
        if (signer.Enabled && !signer.Verify(signature, signed)) return DecodeResult.Reject(RejectReasons.BadSignature);

        JsonObject header, parent, metadata, content;
        try
        {
            header = ParseObject(signed[0]);
            parent = ParseObject(signed[1]);
            metadata = ParseObject(signed[2]);
            content = ParseObject(signed[3]);
        }
        catch (JsonException)
        {
            return DecodeResult.Reject(RejectReasons.BadJson);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            return DecodeResult.Reject(RejectReasons.BadJson);
        }

        if (!IsNonEmptyString(header["msg_id"]) || !IsNonEmptyString(header["msg_type"]))
            return DecodeResult.Reject(RejectReasons.MissingHeaderFields);

        var identities = new byte[delimiter][];
        for (var i = 0; i < delimiter; i++) identities[i] = frames[i];
        var buffers = signed.Length > 4 ? signed[4..] : [];
        return new DecodeResult(new JupyterMessage
        {
            Identities = identities,
            HeaderBytes = signed[0],
            Header = header,
            ParentHeader = parent,
            Metadata = metadata,
            Content = content,
            Buffers = buffers,
        }, null);
    }

    private static bool IsNonEmptyString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && !string.IsNullOrEmpty(v.GetValue<string>());

    private static JsonObject ParseObject(byte[] frame)
    {
        if (frame.Length == 0) return [];
        if (!System.Text.Unicode.Utf8.IsValid(frame)) throw new JsonException("frame is not valid UTF-8");
        var node = JsonNode.Parse(frame, documentOptions: ParseOptions);
        return node as JsonObject ?? throw new JsonException("frame is not a JSON object");
    }

    /// <summary>Builds a new header for an outgoing message.</summary>
    public static JsonObject NewHeader(string msgType, string session) => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = "kernel",
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };

    /// <summary>Encodes a message into frames ready for one multipart send.</summary>
    public static List<byte[]> Encode(
        MessageSigner signer,
        IReadOnlyList<byte[]> identities,
        JsonObject header,
        byte[]? parentHeader,
        JsonObject? metadata,
        JsonObject content,
        IReadOnlyList<byte[]>? buffers = null)
    {
        var headerBytes = Serialize(header);
        var parentBytes = parentHeader is { Length: > 0 } ? parentHeader : EmptyObject;
        var metadataBytes = metadata is null ? EmptyObject : Serialize(metadata);
        var contentBytes = Serialize(content);
        var frames = new List<byte[]>(identities.Count + 6 + (buffers?.Count ?? 0));
        frames.AddRange(identities);
        frames.Add(Delimiter);
        var signedFrames = new List<byte[]>(4 + (buffers?.Count ?? 0)) { headerBytes, parentBytes, metadataBytes, contentBytes };
        if (buffers is not null) signedFrames.AddRange(buffers);
        frames.Add(signer.Sign(signedFrames));
        frames.AddRange(signedFrames);
        return frames;
    }

    /// <summary>Compact UTF-8 JSON, non-ASCII unescaped (as Jupyter's own serializer writes it).</summary>
    public static byte[] Serialize(JsonNode node)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, JsonDefaults.WriterOptions)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Topic(string session, string msgType) => Encoding.UTF8.GetBytes($"kernel.{session}.{msgType}");
}

internal static class JsonDefaults
{
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
