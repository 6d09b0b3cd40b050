using System.Text.Json.Nodes;

namespace LlmSpell.Kernel.Protocol;

/// <summary>The channel a message arrived on or is sent to.</summary>
internal enum Channel { Shell, Control, Stdin, IoPub }

internal static class ChannelNames
{
    public static string Name(this Channel channel) => channel switch
    {
        Channel.Shell => "shell",
        Channel.Control => "control",
        Channel.Stdin => "stdin",
        _ => "iopub",
    };
}

/// <summary>A decoded, verified incoming Jupyter message.</summary>
internal sealed class JupyterMessage
{
    public required IReadOnlyList<byte[]> Identities { get; init; }

    /// <summary>The raw header frame as received; reused verbatim as parent_header of every reply.</summary>
    public required byte[] HeaderBytes { get; init; }

    public required JsonObject Header { get; init; }
    public required JsonObject ParentHeader { get; init; }
    public required JsonObject Metadata { get; init; }
    public required JsonObject Content { get; init; }
    public required IReadOnlyList<byte[]> Buffers { get; init; }

    public string MsgId => (string?)Header["msg_id"] ?? "";
    public string MsgType => (string?)Header["msg_type"] ?? "";
    public string Session => Header["session"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";

    /// <summary>
    /// Identifies this exact message for replay detection. Not msg_id alone: jupyter_client's manager and client hold
    /// separate Session objects with one session id and separate counters, so distinct messages can share a msg_id.
    /// A replay repeats the signed header byte for byte.
    /// </summary>
    public UInt128 ReplayKey => ReplayGuard.KeyOf(HeaderBytes);

    /// <summary>
    /// Reads the header's date. A missing, null or empty date is no date (true, null): jupyter_client always sends one,
    /// other clients may not, and that is harmless. Any other value must parse (invariant culture, no offset = UTC);
    /// otherwise false: the header is echoed as parent_header and jupyter_client's date parser would fail on it.
    /// </summary>
    public bool TryGetDate(out DateTimeOffset? date)
    {
        date = null;
        var node = Header["date"];
        if (node is null) return true;
        if (node is not JsonValue v || !v.TryGetValue(out string? s)) return false;
        if (s.Length == 0) return true;
        if (!DateTimeOffset.TryParse(s, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var d)) return false;
        date = d;
        return true;
    }
}

/// <summary>Why an incoming multipart message was dropped.</summary>
internal static class RejectReasons
{
    public const string NoDelimiter = "no_delimiter";
    public const string TooFewFrames = "too_few_frames";
    public const string BadSignature = "bad_signature";
    public const string StaleDate = "stale_date";
    public const string BadDate = "bad_date";
    public const string BadJson = "bad_json";
    public const string MissingHeaderFields = "missing_header_fields";
    public const string Replay = "replay";
    public const string TooLarge = "too_large";
    public const string UnknownType = "unknown_type";
}
