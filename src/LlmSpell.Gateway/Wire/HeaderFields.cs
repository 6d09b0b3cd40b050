using System.Text.Json;

namespace LlmSpell.Gateway.Wire;

/// <summary>Checks and reads the few header fields the gateway itself needs, without building a DOM.</summary>
internal static class HeaderFields
{
    private static readonly JsonDocumentOptions Strict = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    /// <summary>Top-level msg_id and msg_type of a header (null when absent or not strings); throws on invalid JSON.</summary>
    public static (string? MsgId, string? MsgType) Read(ReadOnlySpan<byte> header)
    {
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { MaxDepth = 64 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("the header is not a JSON object");
        string? id = null, type = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("msg_id"u8);
            var isType = !isId && reader.ValueTextEquals("msg_type"u8);
            reader.Read();
            if ((isId || isType) && reader.TokenType == JsonTokenType.String)
            {
                if (isId) id = reader.GetString(); else type = reader.GetString();
            }
            else reader.Skip();
        }
        return (id, type);
    }

    /// <summary>Throws a <see cref="GatewayProtocolException"/> unless <paramref name="part"/> is one JSON object (empty allowed for optional parts).</summary>
    public static void RequireObject(byte[] part, string name, bool optional)
    {
        if (part.Length == 0 && optional) return;
        try
        {
            using var doc = JsonDocument.Parse(part, Strict);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new GatewayProtocolException($"{name} must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new GatewayProtocolException($"{name} is not valid JSON ({e.Message})");
        }
    }

    /// <summary>A client header must be an object with non-empty string msg_id and msg_type (the kernel drops anything else silently).</summary>
    public static void RequireClientHeader(byte[] header)
    {
        RequireObject(header, "header", optional: false);
        var (id, type) = Read(header);
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(type))
            throw new GatewayProtocolException("header needs string msg_id and msg_type fields");
    }
}
