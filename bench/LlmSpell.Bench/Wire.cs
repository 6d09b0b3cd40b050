using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LlmSpell.Bench;

/// <summary>Minimal Jupyter wire codec: HMAC-SHA256 (hex) over header, parent_header, metadata, content.</summary>
internal sealed class Wire(string key, string session)
{
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();
    private static readonly byte[] Empty = "{}"u8.ToArray();
    private readonly byte[] _key = Encoding.UTF8.GetBytes(key);
    private long _counter;

    public string Session { get; } = session;

    public byte[] Sign(byte[] h, byte[] p, byte[] m, byte[] c)
    {
        if (_key.Length == 0) return [];
        using var mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _key);
        mac.AppendData(h); mac.AppendData(p); mac.AppendData(m); mac.AppendData(c);
        Span<byte> hash = stackalloc byte[32];
        mac.GetHashAndReset(hash);
        return Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hash));
    }

    /// <summary>Frames for a DEALER send (no routing identities) and the new msg_id.</summary>
    public List<byte[]> Request(string msgType, string contentJson, out string msgId)
    {
        msgId = $"{Session}_{Interlocked.Increment(ref _counter)}";
        var date = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var header = Encoding.UTF8.GetBytes(
            $"{{\"msg_id\":\"{msgId}\",\"session\":\"{Session}\",\"username\":\"bench\",\"date\":\"{date}\",\"msg_type\":\"{msgType}\",\"version\":\"5.3\"}}");
        var content = Encoding.UTF8.GetBytes(contentJson);
        return [Delimiter, Sign(header, Empty, Empty, content), header, Empty, Empty, content];
    }

    public static string Execute(string code) =>
        "{\"code\":" + JsonSerializer.Serialize(code) +
        ",\"silent\":false,\"store_history\":true,\"user_expressions\":{},\"allow_stdin\":false,\"stop_on_error\":true}";

    /// <summary>Decoded essentials of a received message; null when malformed or the signature is wrong.</summary>
    public Received? Decode(List<byte[]> frames)
    {
        var d = -1;
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { d = i; break; }
        if (d < 0 || frames.Count - d < 6) return null;
        byte[] h = frames[d + 2], p = frames[d + 3], m = frames[d + 4], c = frames[d + 5];
        if (_key.Length > 0 && !CryptographicOperations.FixedTimeEquals(Sign(h, p, m, c), frames[d + 1])) return null;
        return new Received(Str(h, "msg_type"), Str(p, "msg_id"), c);
    }

    private static string? Str(byte[] json, string name)
    {
        var r = new Utf8JsonReader(json);
        var depth = 0;
        while (r.Read())
        {
            switch (r.TokenType)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray: depth++; break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray: depth--; break;
                case JsonTokenType.PropertyName when depth == 1 && r.ValueTextEquals(name):
                    r.Read();
                    return r.TokenType == JsonTokenType.String ? r.GetString() : null;
            }
        }
        return null;
    }

    public static string? ContentStr(byte[] content, string name) => Str(content, name);
}

internal sealed record Received(string? MsgType, string? ParentMsgId, byte[] Content);
