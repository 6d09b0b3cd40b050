using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.Kernel.Protocol;

/// <summary>Lenient accessors for request content fields.</summary>
internal static class Json
{
    public static string? Str(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static bool Bool(JsonObject obj, string name, bool fallback) =>
        obj[name] is JsonValue v ? v.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => fallback,
        } : fallback;

    public static int? Int(JsonObject obj, string name) =>
        obj[name] is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue(out double d)
            ? (int)Math.Clamp(d, int.MinValue, int.MaxValue)
            : null;

    public static JsonArray Array(IEnumerable<string> items)
    {
        var a = new JsonArray();
        foreach (var i in items) a.Add((JsonNode?)JsonValue.Create(i));
        return a;
    }
}
