using System.Text.Json.Nodes;
using LlmSpell.Kernel.Execution;
using LlmSpell.Kernel.Protocol;

namespace LlmSpell.Kernel.Shell;

/// <summary>Builds history_reply content that, with its envelope, stays within the message size limit.</summary>
internal static class HistoryReply
{
    /// <summary>The bound when the kernel has no message size limit: the store's budget plus room for JSON escaping.</summary>
    public const long DefaultMaxBytes = 4 * HistoryStore.MaxTotalBytes;

    /// <summary>Room for everything but the items and the echoed parent header: our header, signature, delimiter, metadata, status.</summary>
    public const int EnvelopeBytes = 4096;

    /// <summary>Bytes the history items may take in a reply to <paramref name="request"/>.</summary>
    public static long Budget(long maxMessageSizeBytes, JupyterMessage request)
    {
        var limit = maxMessageSizeBytes > 0 ? maxMessageSizeBytes : DefaultMaxBytes;
        var echoed = request.HeaderBytes.Length + request.Identities.Sum(i => (long)i.Length);
        return limit - echoed - EnvelopeBytes;
    }

    /// <summary>The reply content with the newest entries that fit in <paramref name="maxBytes"/>; the oldest are dropped.</summary>
    public static JsonObject Content(IReadOnlyList<HistoryEntry> entries, bool output, long maxBytes)
    {
        var items = new JsonArray[entries.Count];
        var sizes = new long[entries.Count];
        long total = """{"status":"ok","history":[]}""".Length;
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            JsonNode input = output ? new JsonArray(e.Input, e.Output) : JsonValue.Create(e.Input);
            items[i] = new JsonArray(e.Session, e.Line, input);
            sizes[i] = WireCodec.Serialize(items[i]).Length + 1; // and a comma
            total += sizes[i];
        }
        var first = 0;
        while (first < items.Length && total > maxBytes) total -= sizes[first++];

        var history = new JsonArray();
        for (var i = first; i < items.Length; i++) history.Add((JsonNode)items[i]);
        return new JsonObject { ["status"] = "ok", ["history"] = history };
    }
}
